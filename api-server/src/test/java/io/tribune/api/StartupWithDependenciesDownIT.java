package io.tribune.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static io.tribune.api.HttpTestClient.get;
import static io.tribune.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The test configuration's own addresses point at port 1, where nothing listens. */
class StartupWithDependenciesDownIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            new DropwizardAppExtension<>(ApiServerApplication.class, TestApps.CONFIG,
                    ConfigOverride.config("auth.signingKeysFile", TestApps.signingKeysFile().toString()),
                    ConfigOverride.config("meetings.passcodeKeyFile", TestApps.passcodeKeyFile().toString()));

    @Test
    void startsAndServesRequestsWhilePostgresqlRedisAndKafkaAreDown() {
        HttpResponse<String> status = get("http://127.0.0.1:" + APP.getLocalPort() + "/api/v1/status");

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(json(status).path("service").asText()).isEqualTo("api-server");
    }

    @Test
    void reportsEachUnreachableDependencyUnhealthy() {
        HttpResponse<String> health = get("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck");
        JsonNode checks = json(health);

        assertThat(health.statusCode()).isEqualTo(500);
        assertThat(checks.path("postgresql").path("healthy").asBoolean(true)).as(checks.toString()).isFalse();
        assertThat(checks.path("redis").path("healthy").asBoolean(true)).as(checks.toString()).isFalse();
        assertThat(checks.path("kafka").path("healthy").asBoolean(true)).as(checks.toString()).isFalse();
        assertThat(checks.path("migrations").path("healthy").asBoolean(true)).as(checks.toString()).isFalse();
        assertThat(checks.path("migrations").path("message").asText()).contains("not migrated");
    }
}
