package io.tribune.common.kafka;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a worker's topics as one consumer group and hands each event to its {@link EventHandler}; see the package
 * documentation for the flow. Offsets are committed after each poll's records are handled (or dead-lettered), and
 * for revoked partitions before a rebalance, never before the handler returned.
 *
 * <p>Metrics, under {@code tribune.consumer.<group>.}: {@code processed}, {@code duplicates} (skipped, seen
 * before), {@code retries}, {@code dead_lettered}, and the gauge {@code lag}: records behind the end of the
 * assigned partitions, as of the last poll.
 *
 * <p>Threading: one thread of its own ({@code consumer-<group>}) owns the Kafka consumer and commits. The records
 * of one poll are handled per partition, in partition order, the partitions on up to
 * {@link ConsumerSettings#handlerThreads()} threads at once ({@code consumer-<group>-handler-N}); the poll thread
 * waits for all of them before it commits. So the handler must be thread-safe across partitions (events of one
 * key are always on one partition, so never run at once). With {@link ConsumerSettings#splitByKey()}, each
 * partition's records are split by key as well, each key's in order: events of different keys in one partition may
 * then run at once too, events of one key still never. A partition's offset is committed up to its first record
 * left unhandled; records of other keys past it are read again and skipped as processed. {@link #start()} and
 * {@link #stop()} may be called from any thread; the accessors read volatile state.
 */
public final class EventConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Lane names in {@link #handleAll}: keyless records, and a prefix that keeps a key from being taken for it. */
    private static final String NO_KEY = "-";
    private static final String KEYED = "k:";

    private final ConsumerSettings settings;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetterProducer;
    private final EventHandler handler;
    private final ProcessedEvents processed;
    private final Clock clock;
    private final Counter processedCount;
    private final Counter duplicates;
    private final Counter retries;
    private final Counter deadLettered;
    /** Offsets of handled records not yet committed; poll thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** Handles the partitions of one poll at once; null with one handler thread. */
    private final ExecutorService handlers;

    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile long lag;
    private volatile boolean assigned;
    private volatile String lastError;

    /** A consumer of its own and a producer for dead letters, both connected to {@code settings}' brokers. */
    public static EventConsumer create(ConsumerSettings settings, EventHandler handler, ProcessedEvents processed,
                                       MetricRegistry metrics) {
        return new EventConsumer(settings, new KafkaConsumer<>(consumerProperties(settings)),
                new KafkaProducer<>(producerProperties(settings)), handler, processed, metrics, Clock.systemUTC());
    }

    EventConsumer(ConsumerSettings settings, Consumer<String, byte[]> consumer,
                  Producer<String, byte[]> deadLetterProducer, EventHandler handler, ProcessedEvents processed,
                  MetricRegistry metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.deadLetterProducer = Objects.requireNonNull(deadLetterProducer, "deadLetterProducer");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.processed = Objects.requireNonNull(processed, "processed");
        this.clock = Objects.requireNonNull(clock, "clock");
        String prefix = metricPrefix(settings.group());
        this.processedCount = metrics.counter(prefix + "processed");
        this.duplicates = metrics.counter(prefix + "duplicates");
        this.retries = metrics.counter(prefix + "retries");
        this.deadLettered = metrics.counter(prefix + "dead_lettered");
        metrics.gauge(prefix + "lag", () -> (Gauge<Long>) this::lag);
        this.handlers = settings.handlerThreads() <= 1 ? null : Executors.newFixedThreadPool(
                settings.handlerThreads(), new java.util.concurrent.ThreadFactory() {
                    private int count;

                    @Override
                    public synchronized Thread newThread(Runnable task) {
                        Thread thread = new Thread(task, "consumer-" + settings.group() + "-handler-" + ++count);
                        thread.setDaemon(true);
                        return thread;
                    }
                });
    }

    /** {@code tribune.consumer.<group>.} */
    public static String metricPrefix(String group) {
        return "tribune.consumer." + group + ".";
    }

    /** The kit's consumer: manual commits, earliest on a new group, committed reads, String keys, byte values. */
    public static Properties consumerProperties(ConsumerSettings settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.group() + "-consumer");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A new group starts at the beginning: events published before the worker's first start are not lost.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // Bytes, decoded here: a record that is not an event must reach the dead-letter topic, not stall the poll.
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The kit's producer (dead letters and results): idempotent, acks=all, String keys, byte values. */
    public static Properties producerProperties(ConsumerSettings settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.group() + "-dlq");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Subscribes and starts the poll thread. */
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
     * Stops after the event being handled (a handler retry wait ends at once), commits what was handled and closes
     * the clients. Records polled but not handled are read again by the next consumer of the group.
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

    /** Whether the group gave this consumer partitions at least once since it started. */
    public boolean hasAssignment() {
        return assigned;
    }

    /** Records behind the end of the assigned partitions at the last poll (0 before the first). */
    public long lag() {
        return lag;
    }

    /** The last failure of the poll loop or of a handler attempt, or null. */
    public String lastError() {
        return lastError;
    }

    public ConsumerSettings settings() {
        return settings;
    }

    private void run() {
        try {
            consumer.subscribe(settings.topics(), new CommitOnRevoke());
            while (!stopping) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
                    handleAll(records);
                    commitPending();
                    updateLag();
                } catch (WakeupException e) {
                    if (!stopping) {
                        throw e;
                    }
                } catch (KafkaException e) {
                    // Broker unreachable, a commit lost to a rebalance (those records are handled again, and
                    // skipped as duplicates): the loop goes on.
                    lastError = e.toString();
                    LOG.warn("consumer {}: {}", settings.group(), e.toString());
                    pending.clear();
                    pause(settings.retryBackoff());
                }
            }
        } catch (RuntimeException | Error e) {
            lastError = e.toString();
            LOG.error("consumer {} stopped on an unexpected error", settings.group(), e);
        } finally {
            try {
                commitPending();
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: final commit failed: {}", settings.group(), e.toString());
            }
            closeQuietly();
        }
    }

    private void handleAll(ConsumerRecords<String, byte[]> records) {
        List<Lane> lanes = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inOrder = records.records(partition);
            if (!settings.splitByKey()) {
                lanes.add(new Lane(partition, inOrder));
                continue;
            }
            Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> record : inOrder) {
                // A record without a key keeps its order among the partition's other keyless records.
                byKey.computeIfAbsent(record.key() == null ? NO_KEY : KEYED + record.key(), k -> new ArrayList<>())
                        .add(record);
            }
            byKey.values().forEach(keyed -> lanes.add(new Lane(partition, keyed)));
        }
        Map<TopicPartition, Long> stoppedAt = new ConcurrentHashMap<>();
        if (handlers == null || lanes.size() <= 1) {
            lanes.forEach(lane -> handleLane(lane, stoppedAt));
        } else {
            List<Future<?>> running = new ArrayList<>();
            for (Lane lane : lanes) {
                running.add(handlers.submit(() -> handleLane(lane, stoppedAt)));
            }
            try {
                for (Future<?> lane : running) {
                    lane.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // lanes may still run: nothing of this poll is committed (read again, skipped as processed)
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }
        // Per partition: up to the first record a lane left unhandled (its later records, and other lanes'
        // records past that point, are read again and skipped as processed), else past the last one.
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inOrder = records.records(partition);
            long next = stoppedAt.getOrDefault(partition, inOrder.get(inOrder.size() - 1).offset() + 1);
            if (next > inOrder.get(0).offset()) {
                pending.put(partition, new OffsetAndMetadata(next));
            }
        }
    }

    /** Records of one partition to handle in order: all of them, or those of one key. */
    private record Lane(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
    }

    /** Handles one lane's records in order; notes the first one left unhandled (stopping), if any. */
    private void handleLane(Lane lane, Map<TopicPartition, Long> stoppedAt) {
        for (ConsumerRecord<String, byte[]> record : lane.records()) {
            if (stopping || !handle(record)) {
                // Unhandled records are not committed: the group reads them again.
                stoppedAt.merge(lane.partition(), record.offset(), Math::min);
                return;
            }
        }
    }

    /** Handles or dead-letters one record; false only when stopping interrupted it. */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        Event event;
        try {
            event = EventCodec.decode(record.value());
        } catch (EventFormatException e) {
            return deadLetter(record, null, "undecodable: " + e.getMessage());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                if (processed.isProcessed(event.id())) {
                    duplicates.inc();
                    LOG.debug("consumer {}: skipping {} {}, processed before", settings.group(), event.type(),
                            event.id());
                    return true;
                }
                handler.handle(event);
                processed.markProcessed(event.id());
                processedCount.inc();
                return true;
            } catch (PoisonEventException e) {
                return deadLetter(record, event, "rejected: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                lastError = e.toString();
                if (attempt >= settings.maxAttempts()) {
                    return deadLetter(record, event, "failed " + attempt + " times, last: " + e);
                }
                retries.inc();
                Duration wait = settings.backoff(attempt);
                LOG.warn("consumer {}: {} {} failed (attempt {} of {}), retrying in {} ms: {}", settings.group(),
                        event.type(), event.id(), attempt, settings.maxAttempts(), wait.toMillis(), e.toString());
                if (!pause(wait)) {
                    return false;
                }
            }
        }
    }

    /** Publishes the record to the dead-letter topic, retrying until it is acknowledged; false if stopping. */
    private boolean deadLetter(ConsumerRecord<String, byte[]> record, Event event, String reason) {
        String cut = reason.length() > DeadLetters.MAX_REASON_CHARS
                ? reason.substring(0, DeadLetters.MAX_REASON_CHARS) + "..." : reason;
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
                deadLetterProducer.send(letter).get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
                pause(settings.backoff(attempt));
            }
        }
        return false;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        // Cleared once committed: a commit cut short by stop()'s wakeup is made again by the final one.
        consumer.commitSync(new HashMap<>(pending));
        pending.clear();
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

    /** Waits, unless stopping; false when stopping. */
    private boolean pause(Duration wait) {
        try {
            return !stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeQuietly() {
        if (handlers != null) {
            handlers.shutdownNow();
        }
        try {
            consumer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("consumer {}: close failed: {}", settings.group(), e.toString());
        }
        try {
            deadLetterProducer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("consumer {}: dead-letter producer close failed: {}", settings.group(), e.toString());
        }
    }

    /** Commits what was handled of the partitions being taken away, before another consumer gets them. */
    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commitPending();
            } catch (RuntimeException e) {
                LOG.warn("consumer {}: commit on revoke failed: {}", settings.group(), e.toString());
            }
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
