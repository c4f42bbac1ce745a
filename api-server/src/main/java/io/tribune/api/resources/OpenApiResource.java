package io.tribune.api.resources;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtension;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtensions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.ResourceConfig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3 document, generated from the JAX-RS resources actually registered
 * (their paths, methods, parameters and request/response records), so it cannot drift from the implementation.
 * Built once, on the first request, after every resource is registered. Thread-safe.
 */
@Path(ApiPaths.V1 + "/openapi.json")
public final class OpenApiResource {

    private final Supplier<Set<Class<?>>> resourceClasses;
    private final String version;
    private final String publicUrl;
    private volatile String document;

    /**
     * @param resourceClasses the registered resource classes (read lazily: registration finishes after this is made)
     */
    public OpenApiResource(Supplier<Set<Class<?>>> resourceClasses, String version, String publicUrl) {
        this.resourceClasses = resourceClasses;
        this.version = version;
        this.publicUrl = publicUrl;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response openApi() {
        String json = document;
        if (json == null) {
            synchronized (this) {
                if (document == null) {
                    document = Json.pretty(build());
                }
                json = document;
            }
        }
        return Response.ok(json).header("Cache-Control", "public, max-age=300").build();
    }

    /** The resource classes registered with Jersey (by class or as instances), this one excluded. */
    public static Set<Class<?>> resourceClasses(ResourceConfig config) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        config.getClasses().stream().filter(c -> c.isAnnotationPresent(Path.class)).forEach(classes::add);
        config.getInstances().stream().map(Object::getClass).filter(c -> c.isAnnotationPresent(Path.class))
                .forEach(classes::add);
        classes.remove(OpenApiResource.class);
        return classes;
    }

    private OpenAPI build() {
        List<OpenAPIExtension> extensions = new ArrayList<>(OpenAPIExtensions.getExtensions());
        if (extensions.stream().noneMatch(AuthParameterExtension.class::isInstance)) {
            extensions.add(0, new AuthParameterExtension());
            OpenAPIExtensions.setExtensions(extensions);
        }
        OpenAPI base = new OpenAPI()
                .info(new Info().title("Tribune API").version(version)
                        .description("Accounts, meetings, joining and calendars of a Tribune deployment. Errors are"
                                + " JSON {code, message, details}; authenticated calls send `Authorization: Bearer"
                                + " <token>` from POST /api/v1/users/login."))
                .servers(List.of(new Server().url(publicUrl)))
                .schemaRequirement(AuthParameterExtension.SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT"));
        Reader reader = new Reader(new SwaggerConfiguration().openAPI(base).prettyPrint(true));
        return reader.read(resourceClasses.get());
    }
}
