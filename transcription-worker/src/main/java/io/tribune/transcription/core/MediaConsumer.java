package io.tribune.transcription.core;

import com.codahale.metrics.Counter;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.DeadLetters;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventFormatException;
import io.tribune.events.RtpRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * One consumer of the group {@code transcription-worker} on {@code tribune.media.audio}, with a thread of its own
 * ({@code consumer-<group>-N}) that owns the Kafka consumer and its {@link Transcriptions}. The worker runs several
 * (one per core it may use); Kafka spreads the partitions, and so the tracks, over them.
 *
 * <pre>
 *   poll ─► RtpRecord? ─ yes ─► decode ─┬─ malformed ─► dead letter
 *      │                               └─ Transcriptions.onPacket (a bad payload is counted there and skipped)
 *      └─ JSON event ─► decode ─┬─ not an event ─► dead letter
 *                               └─ Transcriptions.onEvent ─┬─ PoisonEventException / failure ─► dead letter
 *   then Transcriptions.sweep (idle tracks), then commit what was read
 * </pre>
 *
 * Offsets are committed after each poll: a live caption is worth nothing minutes later, so a restarted worker
 * goes on from where it stopped (a few seconds behind at most) rather than from the start of its tracks. Where it
 * starts, tracks may already be open: on every assignment the {@link TrackLookback} reads each partition's last
 * {@code lookback} window up to the start position, for those tracks' Started events and captions flags
 * ({@link Transcriptions#lookbackDone}); their packets meanwhile are skipped.
 *
 * <p>A new group (no committed offset on a partition) starts {@code newGroupRewind} (30 s by default) before now
 * rather than at the end of the topic, so a track that began shortly before the worker joined is transcribed from
 * its first words; older tracks are found by the look-back. The lag gauge is the records behind the end of the
 * assigned partitions, as of the last poll. {@link #start()} and {@link #stop()} may be called from any thread.
 */
public final class MediaConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaConsumer.class);
    private static final int MAX_REASON_CHARS = 2000;

    private final ConsumerSettings settings;
    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Transcriptions transcriptions;
    private final Clock clock;
    private final Counter deadLettered;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final TrackLookback lookback;
    private final Duration newGroupRewind;
    /** Look-backs that answered, for the consumer thread (a null map: it failed). */
    private final Queue<Map.Entry<TopicPartition, Map<String, KnownTrack>>> lookedBack =
            new ConcurrentLinkedQueue<>();

    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile long lag;
    private volatile boolean assigned;
    private volatile String lastError;
    /** Look-backs started and not yet applied to the tracks. */
    private final AtomicInteger lookbacksPending = new AtomicInteger();

    public MediaConsumer(ConsumerSettings settings, String name, Consumer<String, byte[]> consumer,
                         Producer<String, byte[]> producer, Transcriptions transcriptions, Clock clock,
                         Counter deadLettered) {
        this(settings, name, consumer, producer, transcriptions, clock, deadLettered, null, Duration.ZERO);
    }

    /**
     * @param lookback       reads back the tracks open before an assigned partition's start; null: none
     * @param newGroupRewind where a partition without a committed offset starts, before now (zero: at its end)
     */
    public MediaConsumer(ConsumerSettings settings, String name, Consumer<String, byte[]> consumer,
                         Producer<String, byte[]> producer, Transcriptions transcriptions, Clock clock,
                         Counter deadLettered, TrackLookback lookback, Duration newGroupRewind) {
        this.lookback = lookback;
        this.newGroupRewind = newGroupRewind;
        this.settings = settings;
        this.name = name;
        this.consumer = consumer;
        this.producer = producer;
        this.transcriptions = transcriptions;
        this.clock = clock;
        this.deadLettered = deadLettered;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread poller = new Thread(this::run, name);
        poller.setDaemon(true);
        thread = poller;
        poller.start();
    }

    /** Stops after the record being handled; open tracks publish their last finals; commits; closes. */
    public void stop() {
        Thread poller;
        synchronized (this) {
            poller = thread;
            if (poller == null || stopping) {
                return;
            }
            stopping = true;
        }
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(30));
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

    /** Look-backs of assigned partitions whose tracks are not known yet. */
    public int lookbacksPending() {
        return lookbacksPending.get();
    }

    public String lastError() {
        return lastError;
    }

    private void run() {
        try {
            consumer.subscribe(settings.topics(), new Rebalance());
            while (!stopping) {
                try {
                    applyLookbacks();
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(settings.pollTimeout())) {
                        if (stopping) {
                            break;
                        }
                        handle(record);
                        pending.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    transcriptions.sweep();
                    commit();
                    updateLag();
                } catch (WakeupException e) {
                    if (!stopping) {
                        throw e;
                    }
                } catch (KafkaException e) {
                    lastError = e.toString();
                    LOG.warn("consumer {}: {}", name, e.toString());
                    pending.clear();
                    sleep(settings.retryBackoff());
                }
            }
        } catch (RuntimeException | Error e) {
            lastError = e.toString();
            LOG.error("consumer {} stopped: {}", name, e.toString(), e);
        } finally {
            if (lookback != null) {
                lookback.close();
            }
            transcriptions.close();
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: final commit failed: {}", name, e.toString());
            }
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: close failed: {}", name, e.toString());
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (RtpRecord.isRtpRecord(value)) {
            RtpRecord packet;
            try {
                packet = RtpRecord.decode(value);
            } catch (EventFormatException | IllegalArgumentException e) {
                deadLetter(record, null, "malformed RTP record: " + e.getMessage());
                return;
            }
            transcriptions.onPacket(record.key(), packet);
            return;
        }
        Event event;
        try {
            event = EventCodec.decode(value);
        } catch (EventFormatException e) {
            deadLetter(record, null, "undecodable: " + e.getMessage());
            return;
        }
        try {
            transcriptions.onEvent(event, new TopicPartition(record.topic(), record.partition()));
        } catch (PoisonEventException e) {
            deadLetter(record, event, "rejected: " + e.getMessage());
        } catch (RuntimeException e) {
            lastError = e.toString();
            deadLetter(record, event, "failed: " + e);
        }
    }

    /** Sends to {@code tribune.dlq.<group>} with the kit's headers; waits for the broker, but not forever. */
    private void deadLetter(ConsumerRecord<String, byte[]> record, Event event, String reason) {
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
        try {
            producer.send(letter).get(30, TimeUnit.SECONDS);
            deadLettered.inc();
            LOG.warn("consumer {}: {}-{}@{} sent to {}: {}", name, record.topic(), record.partition(),
                    record.offset(), settings.deadLetterTopic(), cut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Live audio cannot wait for the dead-letter topic: the record is logged and skipped.
            lastError = e.toString();
            LOG.error("consumer {}: could not dead-letter {}-{}@{} ({}): {}", name, record.topic(),
                    record.partition(), record.offset(), cut, e.toString());
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private void commit() {
        if (pending.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(pending);
        pending.clear();
        consumer.commitSync(offsets);
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong behind = consumer.currentLag(partition);
            if (behind.isPresent()) {
                total += behind.getAsLong();
            }
        }
        lag = total;
    }

    private void applyLookbacks() {
        Map.Entry<TopicPartition, Map<String, KnownTrack>> done;
        while ((done = lookedBack.poll()) != null) {
            transcriptions.lookbackDone(done.getKey(), done.getValue());
            lookbacksPending.decrementAndGet();
        }
    }

    /**
     * In the rebalance callback (the consumer thread): partitions new to the group start {@code newGroupRewind}
     * back; then each partition's look-back starts from its start position.
     */
    private void positionAndLookBack(Collection<TopicPartition> partitions) {
        if (!newGroupRewind.isZero()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> rewind = new HashMap<>();
            long at = clock.millis() - newGroupRewind.toMillis();
            for (TopicPartition partition : partitions) {
                if (committed.get(partition) == null) {
                    rewind.put(partition, at);
                }
            }
            if (!rewind.isEmpty()) {
                consumer.offsetsForTimes(rewind).forEach((partition, found) -> {
                    if (found != null) {
                        consumer.seek(partition, found.offset());
                    }
                });
                LOG.info("consumer {}: new to the group, starting {} s back: {}", name,
                        newGroupRewind.toSeconds(), rewind.keySet());
            }
        }
        for (TopicPartition partition : partitions) {
            long start = consumer.position(partition);
            if (lookback != null && start > 0) {
                transcriptions.lookbackStarted(partition);
                lookbacksPending.incrementAndGet();
                lookback.scan(partition, start).whenComplete((known, error) -> {
                    if (error != null) {
                        lastError = error.toString();
                        LOG.warn("consumer {}: lookback of {} failed; its tracks open before offset {} are skipped: {}",
                                name, partition, start, error.toString());
                    }
                    lookedBack.add(new AbstractMap.SimpleImmutableEntry<>(partition, error == null ? known : null));
                });
            }
        }
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: commit on revoke failed: {}", name, e.toString());
            }
            transcriptions.dropPartitions(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Resolve the start positions now (for a new group, newGroupRewind back), so that once hasAssignment()
            // is true, nothing published afterwards is skipped by a later offset reset.
            positionAndLookBack(partitions);
            if (!partitions.isEmpty()) {
                assigned = true;
            }
            LOG.info("consumer {}: assigned {}", name, partitions);
        }
    }
}
