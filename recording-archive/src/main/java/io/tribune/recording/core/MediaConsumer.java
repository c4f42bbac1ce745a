package io.tribune.recording.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.DeadLetters;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventFormatException;
import io.tribune.events.RtpRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's consumer group on the media topics and {@code tribune.recordings}. It differs from the common kit's
 * {@link EventConsumer} in two ways that the archive needs: most values are binary {@link RtpRecord}s, not JSON
 * events, and a record is only "done" once the track it belongs to is stored, so each partition's commit stops at
 * the Started event of its oldest open track ({@link Archiver#heldOffsets()}). Everything else follows the kit: the
 * same consumer properties, dead letters to {@code tribune.dlq.<group>} with the kit's {@link DeadLetters} headers,
 * retries with backoff for failures that are not the record's fault, and the lag gauge under the kit's metric
 * prefix.
 *
 * <pre>
 *   poll ─► RtpRecord? ─ yes ─► decode ─┬─ malformed ─► dead letter
 *      │                               └─ Archiver.onPacket (reorder, depacketize, write)
 *      └─ JSON event ─► decode ─┬─ not an event ─► dead letter
 *                               └─ Archiver.onEvent ─┬─ PoisonEventException ─► dead letter
 *                                                    └─ other failure ─► retry, then dead letter
 *   then Archiver.sweep (idle tracks, store retries, completions), then commit min(read, held) per partition
 * </pre>
 *
 * <p>Threading: one thread of its own ({@code consumer-<group>}) owns the Kafka consumer and the {@link Archiver}.
 * {@link #start()} and {@link #stop()} may be called from any thread; the accessors read volatile state.
 */
public final class MediaConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaConsumer.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REASON_CHARS = 2000;

    private final ConsumerSettings settings;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Archiver archiver;
    private final Clock clock;
    private final Counter deadLettered;
    private final Counter retries;
    /** Per partition: the offset after the last record read (poll thread only). */
    private final Map<TopicPartition, Long> read = new HashMap<>();
    /** Per partition: the last committed offset (poll thread only). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile long lag;
    private volatile boolean assigned;
    private volatile String lastError;

    public MediaConsumer(ConsumerSettings settings, Consumer<String, byte[]> consumer,
                         Producer<String, byte[]> producer, Archiver archiver, Clock clock, MetricRegistry metrics) {
        this.settings = settings;
        this.consumer = consumer;
        this.producer = producer;
        this.archiver = archiver;
        this.clock = clock;
        String prefix = EventConsumer.metricPrefix(settings.group());
        this.deadLettered = metrics.counter(prefix + "dead_lettered");
        this.retries = metrics.counter(prefix + "retries");
        metrics.gauge(prefix + "lag", () -> (Gauge<Long>) this::lag);
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread poller = new Thread(this::run, "consumer-" + settings.group());
        poller.setDaemon(true);
        thread = poller;
        poller.start();
    }

    /**
     * Stops after the record being handled, commits what is safe and closes the consumer. Open tracks are abandoned:
     * their commit was held, so the next consumer of the group reads them again from their start.
     */
    public void stop() {
        Thread poller;
        synchronized (this) {
            poller = thread;
            if (poller == null || stopping) {
                return;
            }
            stopping = true;
        }
        stopSignal.countDown();
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        Thread poller = thread;
        return poller != null && poller.isAlive() && !stopping;
    }

    public boolean hasAssignment() {
        return assigned;
    }

    public long lag() {
        return lag;
    }

    public String lastError() {
        return lastError;
    }

    public ConsumerSettings settings() {
        return settings;
    }

    private void run() {
        try {
            consumer.subscribe(settings.topics(), new Rebalance());
            while (!stopping) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (stopping || !handle(record)) {
                            break;
                        }
                        read.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                    }
                    Set<TopicPartition> caughtUp = updateLag();
                    archiver.sweep(caughtUp, consumer.assignment());
                    commitSafe(null);
                } catch (WakeupException e) {
                    if (!stopping) {
                        throw e;
                    }
                } catch (KafkaException e) {
                    lastError = e.toString();
                    LOG.warn("consumer {}: {}", settings.group(), e.toString());
                    pause(settings.retryBackoff());
                }
            }
        } catch (RuntimeException | Error e) {
            lastError = e.toString();
            LOG.error("consumer {} stopped: {}", settings.group(), e.toString(), e);
        } finally {
            try {
                commitSafe(null);
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: final commit failed: {}", settings.group(), e.toString());
            }
            archiver.abandonAll();
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: close failed: {}", settings.group(), e.toString());
            }
        }
    }

    /** Handles one record; false only when stopping interrupted it (it is then read again later). */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (RtpRecord.isRtpRecord(value)) {
            RtpRecord packet;
            try {
                packet = RtpRecord.decode(value);
            } catch (EventFormatException | IllegalArgumentException e) {
                return deadLetter(record, null, "malformed RTP record: " + e.getMessage());
            }
            archiver.onPacket(record.key(), packet, new TopicPartition(record.topic(), record.partition()));
            return true;
        }
        Event event;
        try {
            event = EventCodec.decode(value);
        } catch (EventFormatException e) {
            return deadLetter(record, null, "undecodable: " + e.getMessage());
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        for (int attempt = 1; ; attempt++) {
            try {
                archiver.onEvent(event, partition, record.offset());
                return true;
            } catch (PoisonEventException e) {
                return deadLetter(record, event, "rejected: " + e.getMessage());
            } catch (Exception e) {
                lastError = e.toString();
                if (attempt >= settings.maxAttempts()) {
                    return deadLetter(record, event, "failed " + attempt + " times, last: " + e);
                }
                retries.inc();
                Duration wait = backoff(attempt);
                LOG.warn("consumer {}: {} {} failed (attempt {} of {}), retrying in {} ms: {}", settings.group(),
                        event.type(), event.id(), attempt, settings.maxAttempts(), wait.toMillis(), e.toString());
                if (!pause(wait)) {
                    return false;
                }
            }
        }
    }

    private Duration backoff(int attempt) {
        long millis = settings.retryBackoff().toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(Math.min(millis, settings.maxRetryBackoff().toMillis()));
    }

    private boolean deadLetter(ConsumerRecord<String, byte[]> record, Event event, String reason) {
        String cut = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason;
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(settings.deadLetterTopic(), record.key(),
                record.value());
        for (Header header : record.headers()) {
            letter.headers().add(header);
        }
        header(letter, DeadLetters.REASON, cut);
        header(letter, DeadLetters.CONSUMER, settings.group());
        header(letter, DeadLetters.SOURCE_TOPIC, record.topic());
        header(letter, DeadLetters.SOURCE_PARTITION, Integer.toString(record.partition()));
        header(letter, DeadLetters.SOURCE_OFFSET, Long.toString(record.offset()));
        header(letter, DeadLetters.TIME, clock.instant().toString());
        if (event != null) {
            header(letter, DeadLetters.EVENT_ID, event.id().toString());
        }
        for (int attempt = 1; !stopping; attempt++) {
            try {
                producer.send(letter).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                deadLettered.inc();
                LOG.warn("consumer {}: {}-{}@{} sent to {}: {}", settings.group(), record.topic(), record.partition(),
                        record.offset(), settings.deadLetterTopic(), cut);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException | KafkaException e) {
                lastError = e.toString();
                LOG.warn("consumer {}: cannot write to {} yet: {}", settings.group(), settings.deadLetterTopic(),
                        e.toString());
                pause(backoff(attempt));
            }
        }
        return false;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Commits, per partition (all, or only {@code only}), the offset after the last record read, held back to the
     * Started event of the oldest track still open there.
     */
    private void commitSafe(Collection<TopicPartition> only) {
        Map<TopicPartition, Long> held = archiver.heldOffsets();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> entry : read.entrySet()) {
            TopicPartition partition = entry.getKey();
            if (only != null && !only.contains(partition)) {
                continue;
            }
            long safe = Math.min(entry.getValue(), held.getOrDefault(partition, Long.MAX_VALUE));
            if (safe > committed.getOrDefault(partition, -1L)) {
                offsets.put(partition, new OffsetAndMetadata(safe));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitSync(offsets);
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    /** Updates the lag gauge; returns the partitions read to their end. */
    private Set<TopicPartition> updateLag() {
        long total = 0;
        Set<TopicPartition> caughtUp = new HashSet<>();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong behind = consumer.currentLag(partition);
            if (behind.isPresent()) {
                total += behind.getAsLong();
                if (behind.getAsLong() == 0) {
                    caughtUp.add(partition);
                }
            }
        }
        lag = total;
        return caughtUp;
    }

    private boolean pause(Duration wait) {
        try {
            return !stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Commits what is safe of the partitions taken away and abandons their open tracks. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commitSafe(partitions);
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: commit on revoke failed: {}", settings.group(), e.toString());
            }
            archiver.dropPartitions(partitions);
            partitions.forEach(p -> {
                read.remove(p);
                committed.remove(p);
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                assigned = true;
            }
            LOG.info("consumer {}: assigned {}", settings.group(), partitions);
        }
    }
}
