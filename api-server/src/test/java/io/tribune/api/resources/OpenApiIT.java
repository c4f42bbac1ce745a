package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApiServerApplication;
import io.tribune.api.TestApps;
import io.tribune.platform.PlatformExtension;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static io.tribune.api.HttpTestClient.get;
import static io.tribune.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document at /api/v1/openapi.json lists exactly the routes the server serves. */
@ExtendWith(PlatformExtension.class)
class OpenApiIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(TestApiServerApplication.class);

    private static JsonNode document;

    @BeforeAll
    static void fetch() {
        HttpResponse<String> response = get("http://127.0.0.1:" + APP.getLocalPort() + "/api/v1/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        document = json(response);
    }

    @Test
    void listsEveryRouteTheServerServes() {
        Set<String> served = new TreeSet<>();
        for (Class<?> resourceClass : OpenApiResource.resourceClasses(
                APP.getEnvironment().jersey().getResourceConfig())) {
            collect(Resource.from(resourceClass), "", served);
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            document.path("paths").path(path).fieldNames().forEachRemaining(
                    method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path));
        }

        assertThat(served).as("routes served").hasSizeGreaterThan(30)
                .contains("POST /api/v1/users/register", "POST /api/v1/meetings",
                        "POST /api/v1/meetings/{meeting_id}/join", "GET /api/v1/meetings/{meeting_id}/invite.ics",
                        "POST /api/v1/meetings/{meeting_id}/recording/start",
                        "POST /api/v1/meetings/{meeting_id}/recording/stop", "GET /api/v1/recordings",
                        "GET /api/v1/recordings/{recording_id}", "DELETE /api/v1/recordings/{recording_id}",
                        "PUT /api/v1/recordings/{recording_id}/legal_hold",
                        "PUT /api/v1/recordings/{recording_id}/sharing",
                        "POST /api/v1/recordings/{recording_id}/playback",
                        "POST /api/v1/recordings/{recording_id}/download");
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void theCallerIsATokenNotARequestBody() {
        JsonNode getUser = document.path("paths").path("/api/v1/users/{user_id}").path("get");

        assertThat(getUser.has("requestBody")).as(getUser.toString()).isFalse();
        assertThat(getUser.path("security").toString()).contains("bearer");
        assertThat(document.path("paths").path("/api/v1/users/register").path("post").has("requestBody")).isTrue();
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
    }

    private static void collect(Resource resource, String prefix, Set<String> routes) {
        String path = normalize(prefix + "/" + (resource.getPath() == null ? "" : resource.getPath()));
        for (ResourceMethod method : resource.getResourceMethods()) {
            routes.add(method.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    /** {@code //a/{id: [0-9]+}/} -> {@code /a/{id}}, as OpenAPI writes paths. */
    private static String normalize(String path) {
        String clean = path.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return clean.length() > 1 && clean.endsWith("/") ? clean.substring(0, clean.length() - 1) : clean;
    }
}
