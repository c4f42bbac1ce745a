package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class KafkaComponentTest {

    @Test
    void brokerConfigIsValidSingleNodeKraftOnLoopback() {
        Properties properties = KafkaComponent.brokerProperties(Path.of("/data/kafka/log"), 19092, 19093);

        KafkaConfig config = KafkaConfig.fromProps(properties, false);

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(properties.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(properties)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("num.partitions", "3")
                .containsEntry("auto.create.topics.enable", "true")
                .containsEntry("log.cleaner.dedupe.buffer.size", "2097152");
    }
}
