package io.tribune.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.UserEvents;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

@ExtendWith(PlatformExtension.class)
class EventConsumerIT {

    @Test
    void handlesEachEventOnceDeadLettersPoisonAndResumesAfterCommittedOffsets(PlatformUrls urls) throws Exception {
        String topic = "kit-it-" + UUID.randomUUID();
        String group = "kit-it-" + UUID.randomUUID().toString().substring(0, 8);
        PGSimpleDataSource dataSource = dataSource(urls);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS kit_it");
            statement.execute("CREATE TABLE IF NOT EXISTS kit_it.processed_events (consumer text NOT NULL,"
                    + " event_id uuid NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (consumer, event_id))");
        }
        JdbcProcessedEvents processed = new JdbcProcessedEvents(dataSource, "kit_it.processed_events", group);
        ConsumerSettings settings = ConsumerSettings.of(urls.kafkaBootstrap(), group, List.of(topic));
        List<Event> handled = new CopyOnWriteArrayList<>();

        Event first = event();
        Event second = event();
        try (KafkaProducer<String, byte[]> producer = producer(urls)) {
            send(producer, topic, EventCodec.encode(first));
            send(producer, topic, "{\"id\":\"oops\"".getBytes(StandardCharsets.UTF_8));
            send(producer, topic, EventCodec.encode(second));
            send(producer, topic, EventCodec.encode(first)); // a producer retry published it twice
        }

        MetricRegistry metrics = new MetricRegistry();
        try (EventConsumer consumer = EventConsumer.create(settings, handled::add, processed, metrics)) {
            consumer.start();
            await(() -> handled.size() == 2 && consumer.lag() == 0
                    && metrics.counter(EventConsumer.metricPrefix(group) + "duplicates").getCount() == 1);
        }
        assertThat(handled).containsExactly(first, second);
        List<ConsumerRecord<String, byte[]>> letters = readAll(urls, settings.deadLetterTopic(), 1);
        assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"oops\"");
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .startsWith("undecodable:");

        // A new consumer of the same group starts after the committed offsets: nothing is handled twice.
        Event third = event();
        try (KafkaProducer<String, byte[]> producer = producer(urls)) {
            send(producer, topic, EventCodec.encode(third));
        }
        try (EventConsumer consumer = EventConsumer.create(settings, handled::add, processed, new MetricRegistry())) {
            consumer.start();
            await(() -> handled.size() == 3);
            Thread.sleep(500);
        }
        assertThat(handled).containsExactly(first, second, third);
        assertThat(processed.isProcessed(third.id())).isTrue();
    }

    private static Event event() {
        return Event.of(new UserEvents.PasswordResetRequested(UUID.randomUUID().toString(), "b@example.org", "l"),
                Instant.now());
    }

    private static PGSimpleDataSource dataSource(PlatformUrls urls) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(urls.jdbcUrl());
        dataSource.setUser(urls.dbUser());
        dataSource.setPassword(urls.dbPassword());
        return dataSource;
    }

    private static KafkaProducer<String, byte[]> producer(PlatformUrls urls) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, byte[] value) throws Exception {
        // One key: one partition, so the order above is the order the consumer sees.
        producer.send(new ProducerRecord<>(topic, "same-key", value)).get(30, TimeUnit.SECONDS);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(PlatformUrls urls, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            reader.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
