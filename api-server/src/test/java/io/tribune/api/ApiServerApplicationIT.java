package io.tribune.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.platform.PlatformExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static io.tribune.api.HttpTestClient.get;
import static io.tribune.api.HttpTestClient.json;
import static io.tribune.api.HttpTestClient.send;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PlatformExtension.class)
class ApiServerApplicationIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(TestApiServerApplication.class);

    private static String api(String path) {
        return "http://127.0.0.1:" + APP.getLocalPort() + path;
    }

    private static String admin(String path) {
        return "http://127.0.0.1:" + APP.getAdminPort() + path;
    }

    private static HttpResponse<String> postJson(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(api(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("details").isObject()).as(response.body()).isTrue();
    }

    @Nested
    class WhenAskedForStatus {

        @Test
        void answersServiceVersionAndTime() {
            HttpResponse<String> response = get(api("/api/v1/status"));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.path("service").asText()).isEqualTo("api-server");
            assertThat(body.path("version").asText()).isNotBlank();
            assertThat(Instant.parse(body.path("time").asText())).isCloseTo(Instant.now(),
                    org.assertj.core.api.Assertions.within(Duration.ofMinutes(1)));
        }
    }

    @Nested
    class WhenARequestCarriesARequestId {

        @Test
        void echoesASaneId() {
            HttpResponse<String> response = get(api("/api/v1/status"), "X-Request-Id", "cli-42_abc");

            assertThat(response.headers().firstValue("X-Request-Id")).hasValue("cli-42_abc");
        }

        @Test
        void replacesAnIdWithOddCharacters() {
            HttpResponse<String> response = get(api("/api/v1/status"), "X-Request-Id", "evil\"id<script>");

            assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(
                    id -> assertThat(id).matches("[0-9a-f-]{36}"));
        }

        @Test
        void generatesOneWhenAbsentEvenOnErrors() {
            HttpResponse<String> response = get(api("/no/such/path"));

            assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(
                    id -> assertThat(id).matches("[0-9a-f-]{36}"));
        }
    }

    @Nested
    class WhenTheRequestIsWrong {

        @Test
        void answersJson404ForAnUnknownPath() {
            assertJsonError(get(api("/api/v1/no-such-thing")), 404, "not_found");
        }

        @Test
        void answersJson405WithAllowForAWrongMethod() {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api("/api/v1/status")))
                    .DELETE().build());

            assertJsonError(response, 405, "method_not_allowed");
            assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
                    allow -> assertThat(allow).contains("GET"));
        }

        @Test
        void answersInvalidJsonForAMalformedBody() {
            HttpResponse<String> response = postJson("/api/v1/test-probe", "{\"user_id\": \"u1\", ");

            assertJsonError(response, 400, "invalid_json");
        }

        @Test
        void answersValidationFailedNamingEachFieldAsSent() {
            HttpResponse<String> response = postJson("/api/v1/test-probe",
                    "{\"user_id\": \"\", \"max_guests\": 0, \"emails\": [\"ok@example.org\", \"nope\"]}");

            assertJsonError(response, 422, "validation_failed");
            JsonNode details = json(response).path("details");
            assertThat(details.has("user_id")).as(details.toString()).isTrue();
            assertThat(details.has("max_guests")).as(details.toString()).isTrue();
            assertThat(details.has("emails[1]")).as(details.toString()).isTrue();
        }

        @Test
        void answersUnsupportedMediaTypeForNonJson() {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api("/api/v1/test-probe")))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("hello"))
                    .build());

            assertJsonError(response, 415, "unsupported_media_type");
        }
    }

    @Nested
    class WhenTheServerFails {

        @Test
        void answersInternalErrorWithTheRequestIdAndNoInternals() {
            HttpResponse<String> response = get(api("/api/v1/test-probe/failure"), "X-Request-Id", "trace-me-1");

            assertJsonError(response, 500, "internal_error");
            assertThat(json(response).path("details").path("request_id").asText()).isEqualTo("trace-me-1");
            assertThat(response.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException")
                    .doesNotContain("at io.tribune");
        }

        @Test
        void answersAnApiExceptionWithItsOwnStatusCodeAndDetails() {
            HttpResponse<String> response = get(api("/api/v1/test-probe/locked"));

            assertJsonError(response, 409, "meeting_locked");
            assertThat(json(response).path("details").path("meeting_id").asText()).isEqualTo("m-1");
        }
    }

    @Nested
    class WhenPrometheusScrapes {

        @Test
        void exportsJvmAndOutboxMetricsInTextFormat() {
            HttpResponse<String> response = get(admin("/prometheus"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(response.body())
                    .contains("jvm_memory_used_bytes")
                    .contains("tribune_outbox_published_total")
                    .contains("tribune_outbox_failures_total")
                    .contains("tribune_outbox_publish_latency")
                    .contains("tribune_outbox_pending");
        }
    }
}
