package io.tribune.api.kafka;

import io.dropwizard.util.Duration;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaProducerManagerTest {

    @Test
    void configuresTheProducerForNoLossAndNoProducerDuplicates() {
        KafkaConfiguration configuration = new KafkaConfiguration();
        configuration.setBootstrapServers(" 10.0.0.1:9092,10.0.0.2:9092 ");
        configuration.setRequestTimeout(Duration.seconds(7));
        configuration.setDeliveryTimeout(Duration.seconds(45));

        Map<String, Object> props = KafkaProducerManager.producerProperties(configuration);

        assertThat(props).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 7_000)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 7_000)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 45_000)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "10.0.0.1:9092,10.0.0.2:9092");
    }
}
