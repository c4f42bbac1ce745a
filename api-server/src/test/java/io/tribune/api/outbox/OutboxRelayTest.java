package io.tribune.api.outbox;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.tribune.api.kafka.KafkaConfiguration;
import io.tribune.api.kafka.KafkaProducerManager;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxRelayTest {

    private static OutboxRelay relay(String minBackoff, String maxBackoff) {
        OutboxConfiguration configuration = new OutboxConfiguration();
        configuration.setMinBackoff(Duration.parse(minBackoff));
        configuration.setMaxBackoff(Duration.parse(maxBackoff));
        // No database or broker: backoff() is pure arithmetic.
        return new OutboxRelay(null, new KafkaProducerManager(new KafkaConfiguration()), configuration,
                java.time.Duration.ofSeconds(30), () -> false, null, new MetricRegistry(), Clock.systemUTC());
    }

    @Nested
    class WhenARowFailsRepeatedly {

        @Test
        void waitsTheMinimumAfterTheFirstFailure() {
            assertThat(relay("500 milliseconds", "30 seconds").backoff(0)).isEqualTo(java.time.Duration.ofMillis(500));
        }

        @Test
        void doublesTheWaitPerFailedAttempt() {
            OutboxRelay relay = relay("500 milliseconds", "30 seconds");

            assertThat(relay.backoff(1)).isEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(relay.backoff(3)).isEqualTo(java.time.Duration.ofSeconds(4));
        }

        @Test
        void neverWaitsLongerThanTheMaximum() {
            OutboxRelay relay = relay("500 milliseconds", "30 seconds");

            assertThat(relay.backoff(6)).isEqualTo(java.time.Duration.ofSeconds(30));
            assertThat(relay.backoff(Integer.MAX_VALUE)).isEqualTo(java.time.Duration.ofSeconds(30));
        }
    }
}
