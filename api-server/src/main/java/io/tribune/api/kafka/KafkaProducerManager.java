package io.tribune.api.kafka;

import io.dropwizard.lifecycle.Managed;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Owns api-server's one Kafka producer: idempotent, {@code acks=all}, retrying until
 * {@code kafka.deliveryTimeout}. The producer connects (and reconnects) by itself, so a broker that is down at
 * startup only delays delivery. Stopped after the outbox relay: {@link #stop()} flushes what is still buffered,
 * then closes.
 *
 * <p>Thread-safe: {@link KafkaProducer} is.
 */
public final class KafkaProducerManager implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProducerManager.class);

    /** Records wait this long for batch-mates; bounded by the delivery timeout check in the configuration. */
    static final int LINGER_MS = 5;

    private final Map<String, Object> properties;
    private final Duration closeTimeout;
    private volatile Producer<String, byte[]> producer;

    public KafkaProducerManager(KafkaConfiguration configuration) {
        this.properties = producerProperties(configuration);
        this.closeTimeout = Duration.ofMillis(configuration.getDeliveryTimeout().toMilliseconds());
    }

    /** The producer settings the outbox relay's exactly-once-per-ack contract relies on. */
    static Map<String, Object> producerProperties(KafkaConfiguration configuration) {
        int requestTimeoutMs = Math.toIntExact(configuration.getRequestTimeout().toMilliseconds());
        int deliveryTimeoutMs = Math.toIntExact(configuration.getDeliveryTimeout().toMilliseconds());
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configuration.getBootstrapServers().trim());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, configuration.getClientId());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // No duplicates from the producer's own retries, and no loss once acknowledged by all in-sync replicas.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        // At most 5 keeps per-partition order with idempotence.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs);
        // send() blocks while it has no metadata for the topic (broker down): bound that wait too.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, requestTimeoutMs);
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        return props;
    }

    @Override
    public void start() {
        producer = new KafkaProducer<>(properties);
        LOG.info("Kafka producer for {} created", properties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    @Override
    public void stop() {
        Producer<String, byte[]> current = producer;
        if (current == null) {
            return;
        }
        try {
            // close() flushes: buffered records get until closeTimeout to be acknowledged.
            current.close(closeTimeout);
        } catch (RuntimeException e) {
            LOG.warn("Kafka producer did not close cleanly", e);
        }
    }

    /** The producer; only valid between {@link #start()} and {@link #stop()}. */
    public Producer<String, byte[]> producer() {
        Producer<String, byte[]> current = producer;
        if (current == null) {
            throw new IllegalStateException("Kafka producer not started");
        }
        return current;
    }
}
