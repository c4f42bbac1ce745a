package io.tribune.sfu.tap;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The media topics through one kafka-clients producer. Idempotent with {@code acks=all} (kafka-clients' default),
 * so a retried batch neither duplicates nor reorders a track's records. A recorded room sends hundreds of small
 * records a second: batches linger (100 ms by default) because the producer's own thread costs per batch, not per
 * record; compression is off by default (the payloads are compressed media).
 * {@code max.block.ms} bounds how long a send waits for metadata or buffer space: it blocks only the tap's
 * producer thread, and the tap's queue drops packets meanwhile. Used by one thread ({@link TapQueue}).
 */
public final class KafkaTapSink implements TapSink {

    /** How the producer is set up; see config/sfu.example.yml ({@code kafka:}). */
    public record Settings(String bootstrapServers, String clientId, String compression, Duration linger,
                           int batchBytes, Duration maxBlock) {
    }

    private final KafkaProducer<String, byte[]> producer;

    public KafkaTapSink(Settings settings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        props.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(settings.linger().toMillis()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(settings.batchBytes()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.maxBlock().toMillis()));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(String topic, String key, byte[] value, Runnable failed) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                failed.run();
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
