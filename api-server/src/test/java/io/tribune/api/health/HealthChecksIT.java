package io.tribune.api.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.platform.EmbeddedPlatform;
import io.tribune.platform.PlatformExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import static io.tribune.api.HttpTestClient.get;
import static io.tribune.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PlatformExtension.class)
class HealthChecksIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    private static HttpResponse<String> healthcheck() {
        return get("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck");
    }

    private static boolean healthy(JsonNode checks, String name) {
        return checks.path(name).path("healthy").asBoolean(false);
    }

    /** Polls /healthcheck until {@code condition} holds; returns the last body. */
    private static JsonNode awaitHealth(Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode checks = json(healthcheck());
        while (!condition.test(checks) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            checks = json(healthcheck());
        }
        return checks;
    }

    @Nested
    class WhenEverythingIsUp {

        @Test
        void reportsPostgresqlRedisKafkaAndMigrationsHealthy() throws Exception {
            JsonNode checks = awaitHealth(c -> healthy(c, "postgresql") && healthy(c, "redis")
                    && healthy(c, "kafka") && healthy(c, "migrations"), Duration.ofSeconds(30));

            assertThat(healthy(checks, "postgresql")).as(checks.toString()).isTrue();
            assertThat(healthy(checks, "redis")).as(checks.toString()).isTrue();
            assertThat(healthy(checks, "kafka")).as(checks.toString()).isTrue();
            assertThat(healthy(checks, "migrations")).as(checks.toString()).isTrue();
            assertThat(healthcheck().statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class WhenKafkaStops {

        @Test
        void reportsKafkaUnhealthyAndHealthyAgainAfterItRestarts() throws Exception {
            EmbeddedPlatform platform = PlatformExtension.platform();
            JsonNode whileDown;
            int statusWhileDown;
            try {
                platform.kafka().stop();
                whileDown = awaitHealth(c -> !healthy(c, "kafka"), Duration.ofSeconds(20));
                statusWhileDown = healthcheck().statusCode();
            } finally {
                platform.kafka().start();
            }
            JsonNode afterRestart = awaitHealth(c -> healthy(c, "kafka"), Duration.ofSeconds(30));

            assertThat(healthy(whileDown, "kafka")).as(whileDown.toString()).isFalse();
            assertThat(whileDown.path("kafka").path("message").asText()).isNotBlank();
            assertThat(healthy(whileDown, "postgresql")).as("the other checks are unaffected").isTrue();
            assertThat(statusWhileDown).isEqualTo(500);
            assertThat(healthy(afterRestart, "kafka")).as(afterRestart.toString()).isTrue();
        }
    }

    @Nested
    class WhenRedisStops {

        @Test
        void reportsRedisUnhealthyAndHealthyAgainAfterItRestarts() throws Exception {
            EmbeddedPlatform platform = PlatformExtension.platform();
            JsonNode whileDown;
            try {
                platform.redis().stop();
                whileDown = awaitHealth(c -> !healthy(c, "redis"), Duration.ofSeconds(20));
            } finally {
                platform.redis().start();
            }
            JsonNode afterRestart = awaitHealth(c -> healthy(c, "redis"), Duration.ofSeconds(30));

            assertThat(healthy(whileDown, "redis")).as(whileDown.toString()).isFalse();
            assertThat(healthy(afterRestart, "redis")).as(afterRestart.toString()).isTrue();
        }
    }
}
