package io.tribune.api;

import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads {@code tribune.users} (or the topics given to {@link #start(String, String...)}) from its end (as of
 * {@link #start}) on a background thread and keeps every event,
 * so that tests can wait for the ones they caused: what a mailer or another consumer would receive. Reads the
 * partitions directly (no consumer group), so it starts without a rebalance. Thread-safe.
 */
public final class UserEventsRecorder implements AutoCloseable {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private volatile boolean running = true;

    private final List<String> topics;

    private UserEventsRecorder(String bootstrap, List<String> topics) {
        this.topics = topics;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = topics.stream()
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream())
                .map((PartitionInfo info) -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before the test acts
        poller = new Thread(this::poll, "user-events-recorder");
        poller.setDaemon(true);
        poller.start();
    }

    /** Creates {@code tribune.users} when missing and starts recording from its current end. */
    public static UserEventsRecorder start(String bootstrap) throws Exception {
        return start(bootstrap, Topics.USERS);
    }

    /** Creates the topics when missing and starts recording all of them from their current ends. */
    public static UserEventsRecorder start(String bootstrap, String... topics) throws Exception {
        for (String topic : topics) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return new UserEventsRecorder(bootstrap, List.of(topics));
    }

    /** The first recorded event of {@code type} whose data matches, waiting up to {@code timeout}. */
    public <T> T await(Class<T> type, Predicate<T> matches, Duration timeout) {
        return find(type, matches, timeout)
                .orElseThrow(() -> new AssertionError("no matching " + type.getSimpleName() + " on "
                        + topics + " within " + timeout + "; recorded: " + events));
    }

    /** As {@link #await} but empty on timeout. */
    public <T> Optional<T> find(Class<T> type, Predicate<T> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<T> found = all(type).stream().filter(matches).findFirst();
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** Every recorded event of {@code type}, in arrival order. */
    public <T> List<T> all(Class<T> type) {
        return events.stream().map(Event::data).filter(type::isInstance).map(type::cast).toList();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    events.add(EventCodec.decode(record.value()));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
