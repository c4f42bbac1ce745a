package io.tribune.transcription.core;

import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventFormatException;
import io.tribune.events.RtpRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what happened on a partition before the consumer's start position, so that tracks already open there
 * (a restarted worker, a rebalance, a new group) are known: their Started event (participant, codec) and their
 * captions flag. One scan per assigned partition, forward from the first record of the last {@code window} up to
 * the start position, on a thread of its own with a consumer of its own (no group, nothing committed); only JSON
 * records are decoded. A scan that cannot finish within {@code timeout} fails as a whole (a partial history could
 * miss a later captions-off switch), and the partition's unknown tracks are then skipped, never guessed.
 * Thread-safe.
 */
public final class TrackLookback implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrackLookback.class);

    private final Properties properties;
    private final Duration window;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService executor;

    /** @param properties the brokers (and security settings); the deserializers and no-group settings are added */
    public TrackLookback(Properties properties, Duration window, Duration timeout, Clock clock) {
        this.properties = new Properties();
        this.properties.putAll(properties);
        this.properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        this.properties.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG,
                "transcription-worker") + "-lookback");
        this.window = window;
        this.timeout = timeout;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "transcription-lookback");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The tracks of {@code partition} as of offset {@code until} (exclusive), keyed {@code meetingId:trackId}. */
    public CompletableFuture<Map<String, KnownTrack>> scan(TopicPartition partition, long until) {
        return CompletableFuture.supplyAsync(() -> scanNow(partition, until), executor);
    }

    private Map<String, KnownTrack> scanNow(TopicPartition partition, long until) {
        long begun = System.nanoTime();
        Map<String, KnownTrack> known = new HashMap<>();
        long records = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(partition,
                    clock.millis() - window.toMillis()), timeout).get(partition);
            if (first == null || first.offset() >= until) {
                return known; // nothing within the window before the start position
            }
            consumer.seek(partition, first.offset());
            long deadline = begun + timeout.toNanos();
            while (consumer.position(partition, timeout) < until) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("lookback of " + partition + " did not reach offset " + until
                            + " within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= until) {
                        break;
                    }
                    records++;
                    byte[] value = record.value();
                    if (record.key() == null || value == null || value.length == 0 || RtpRecord.isRtpRecord(value)) {
                        continue;
                    }
                    try {
                        KnownTrack.apply(known, record.key(), EventCodec.decode(value));
                    } catch (EventFormatException e) {
                        // Poison: the live consumer dead-lettered it when it read it.
                    }
                }
            }
        }
        known.values().removeIf(KnownTrack::ended);
        LOG.info("lookback of {} up to offset {}: {} records, {} open tracks, {} ms", partition, until, records,
                known.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
        return known;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** For the MediaConsumer's log and tests: the read-back window. */
    public Duration window() {
        return window;
    }
}
