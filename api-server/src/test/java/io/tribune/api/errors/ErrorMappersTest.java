package io.tribune.api.errors;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.tribune.api.ProbeResource;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The mappers in a Jersey container without the network: response shapes for each kind of failure. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorMappersTest {

    private static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .setRegisterDefaultExceptionMappers(false)
            .addResource(new ProbeResource())
            .addProvider(new ApiExceptionMapper())
            .addProvider(new WebApplicationExceptionMapper())
            .addProvider(new JsonProcessingExceptionMapper())
            .addProvider(new ConstraintViolationExceptionMapper(Jackson.newObjectMapper()))
            .addProvider(new EmptyOptionalExceptionMapper())
            .addProvider(new UnexpectedExceptionMapper())
            .build();

    private static JsonNode body(Response response) {
        assertThat(response.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)).isTrue();
        JsonNode body = response.readEntity(JsonNode.class);
        assertThat(body.fieldNames()).toIterable().containsExactly("code", "message", "details");
        return body;
    }

    private static Response post(String json) {
        return RESOURCES.target("/api/v1/test-probe").request()
                .post(Entity.entity(json, MediaType.APPLICATION_JSON_TYPE));
    }

    @Nested
    class WhenTheBodyIsNotJson {

        @Test
        void answers400InvalidJsonWithLineAndColumn() {
            Response response = post("{\n  \"user_id\": nope }");

            assertThat(response.getStatus()).isEqualTo(400);
            JsonNode body = body(response);
            assertThat(body.path("code").asText()).isEqualTo("invalid_json");
            assertThat(body.path("details").path("line").asInt()).isEqualTo(2);
            assertThat(body.path("details").path("column").asInt()).isPositive();
        }

        @Test
        void namesAFieldOfTheWrongTypeWithoutJavaClassNames() {
            Response response = post("{\"user_id\": \"u\", \"max_guests\": \"many\"}");

            assertThat(response.getStatus()).isEqualTo(400);
            JsonNode body = body(response);
            assertThat(body.path("code").asText()).isEqualTo("invalid_json");
            assertThat(body.path("details").path("field").asText()).isEqualTo("max_guests");
            assertThat(body.toString()).doesNotContain("java.").doesNotContain("int`");
        }

        @Test
        void namesAnIndexedFieldPath() {
            Response response = post("{\"user_id\": \"u\", \"max_guests\": 1, \"emails\": [\"a@b.c\", {}]}");

            assertThat(body(response).path("details").path("field").asText()).isEqualTo("emails[1]");
        }
    }

    @Nested
    class WhenValidationFails {

        @Test
        void answers422WithEachFieldByItsJsonName() {
            Response response = post("{\"user_id\": \" \", \"max_guests\": 101, \"emails\": [\"x\"]}");

            assertThat(response.getStatus()).isEqualTo(422);
            JsonNode body = body(response);
            assertThat(body.path("code").asText()).isEqualTo("validation_failed");
            assertThat(body.path("details").path("user_id").asText()).isEqualTo("must not be blank");
            assertThat(body.path("details").path("max_guests").asText()).contains("100");
            assertThat(body.path("details").path("emails[0]").asText()).contains("email");
            assertThat(body.path("message").asText()).contains("user_id");
        }

        @Test
        void answers422ForAMissingBody() {
            Response response = RESOURCES.target("/api/v1/test-probe").request()
                    .post(Entity.entity("", MediaType.APPLICATION_JSON_TYPE));

            assertThat(response.getStatus()).isIn(400, 422);
            assertThat(body(response).path("code").asText()).isIn("validation_failed", "invalid_json");
        }

        @Test
        void answers400NamingAnInvalidQueryParameter() {
            Response response = RESOURCES.target("/api/v1/test-probe/page").queryParam("limit", 0).request().get();

            assertThat(response.getStatus()).isEqualTo(400);
            JsonNode body = body(response);
            assertThat(body.path("code").asText()).isEqualTo("validation_failed");
            assertThat(body.path("details").has("limit")).as(body.toString()).isTrue();
        }
    }

    @Nested
    class WhenJerseyRefusesTheRequest {

        @Test
        void answers404NotFoundForAnUnknownPath() {
            Response response = RESOURCES.target("/api/v1/nothing-here").request().get();

            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(body(response).path("code").asText()).isEqualTo("not_found");
        }

        @Test
        void answers405WithTheAllowHeader() {
            Response response = RESOURCES.target("/api/v1/test-probe/locked").request().delete();

            assertThat(response.getStatus()).isEqualTo(405);
            assertThat(response.getHeaderString("Allow")).contains("GET");
            assertThat(body(response).path("code").asText()).isEqualTo("method_not_allowed");
        }

        @Test
        void answers415ForAnotherContentType() {
            Response response = RESOURCES.target("/api/v1/test-probe").request()
                    .post(Entity.entity("x", MediaType.TEXT_PLAIN_TYPE));

            assertThat(response.getStatus()).isEqualTo(415);
            assertThat(body(response).path("code").asText()).isEqualTo("unsupported_media_type");
        }
    }

    @Nested
    class WhenTheResourceThrows {

        @Test
        void answersAnApiExceptionAsItSays() {
            Response response = RESOURCES.target("/api/v1/test-probe/locked").request().get();

            assertThat(response.getStatus()).isEqualTo(409);
            JsonNode body = body(response);
            assertThat(body.path("code").asText()).isEqualTo("meeting_locked");
            assertThat(body.path("message").asText()).isEqualTo("The meeting is locked.");
            assertThat(body.path("details").path("meeting_id").asText()).isEqualTo("m-1");
        }

        @Test
        void answersAnythingElseAs500WithoutItsMessage() {
            Response response = RESOURCES.target("/api/v1/test-probe/failure").request().get();

            assertThat(response.getStatus()).isEqualTo(500);
            JsonNode body = body(response);
            assertThat(body.path("code").asText()).isEqualTo("internal_error");
            assertThat(body.toString()).doesNotContain("hunter2").doesNotContain("IllegalState");
        }
    }

    @Nested
    class WhenBuildingAnApiException {

        @Test
        void refusesANonErrorStatus() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiException(200, "ok", "fine"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
