package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaComponentIT {

    @TempDir
    Path dataDir;

    @Test
    void recordSurvivesBrokerRestartWithSameClusterIdAndPort() throws Exception {
        try (KafkaComponent kafka = new KafkaComponent(dataDir, 0)) {
            kafka.start();
            int port = kafka.port();
            String clusterId = kafka.clusterId();
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(Files.readString(dataDir.resolve("kafka/cluster.id"), StandardCharsets.US_ASCII).trim())
                    .isEqualTo(clusterId);

            try (KafkaProducer<String, String> producer = producer(kafka)) {
                producer.send(new ProducerRecord<>("meetings", "m-1", "scheduled")).get(30, TimeUnit.SECONDS);
            }
            assertThat(values(consumeAll(kafka, "meetings", 1))).containsExactly("scheduled");

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.start();

            assertThat(kafka.port()).isEqualTo(port);
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(values(consumeAll(kafka, "meetings", 1))).containsExactly("scheduled");
        }
    }

    @Test
    void producerOpenAcrossRestartDeliversAfterIt() throws Exception {
        try (KafkaComponent kafka = new KafkaComponent(dataDir, 0);
             KafkaProducer<String, String> producer = producer(started(kafka))) {
            producer.send(new ProducerRecord<>("outbox", "k", "before")).get(30, TimeUnit.SECONDS);

            kafka.stop();
            kafka.start();

            producer.send(new ProducerRecord<>("outbox", "k", "after")).get(60, TimeUnit.SECONDS);
            assertThat(values(consumeAll(kafka, "outbox", 2))).containsExactly("before", "after");
        }
    }

    @Test
    void newComponentOnExistingDataDirKeepsClusterAndRecords() throws Exception {
        String clusterId;
        try (KafkaComponent first = new KafkaComponent(dataDir, 0)) {
            first.start();
            clusterId = first.clusterId();
            try (KafkaProducer<String, String> producer = producer(first)) {
                producer.send(new ProducerRecord<>("kept", "k", "v")).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaComponent second = new KafkaComponent(dataDir, 0)) {
            second.start();
            assertThat(second.clusterId()).isEqualTo(clusterId);
            assertThat(values(consumeAll(second, "kept", 1))).containsExactly("v");
            assertThat(second.version()).isEqualTo("Kafka 4.3.1");
        }
    }

    private static KafkaComponent started(KafkaComponent kafka) throws Exception {
        kafka.start();
        return kafka;
    }

    private static KafkaProducer<String, String> producer(KafkaComponent kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }

    /** Reads {@code topic} from the beginning with a fresh group until {@code expected} records arrived. */
    private static List<ConsumerRecord<String, String>> consumeAll(KafkaComponent kafka, String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
