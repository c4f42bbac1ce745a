package io.tribune.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.Topics;
import io.tribune.events.UserEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventConsumerTest {

    private static final TopicPartition PARTITION = new TopicPartition(Topics.USERS, 0);

    /** What was committed last, per partition; still readable after the consumer closed. */
    private final Map<TopicPartition, Long> lastCommitted = new ConcurrentHashMap<>();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            offsets.forEach((partition, offset) -> lastCommitted.put(partition, offset.offset()));
        }
    };
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    private final MetricRegistry metrics = new MetricRegistry();
    private final List<Event> handled = new CopyOnWriteArrayList<>();
    private final InMemoryProcessed processed = new InMemoryProcessed();
    private EventConsumer eventConsumer;
    private long nextOffset;

    @AfterEach
    void stop() {
        if (eventConsumer != null) {
            eventConsumer.stop();
        }
    }

    @Test
    void sendsUndecodableRecordToDeadLetterTopicWithReasonAndGoesOn() throws Exception {
        Event good = event();
        start(handled::add, record("not json".getBytes(StandardCharsets.UTF_8)), record(EventCodec.encode(good)));

        await(() -> handled.size() == 1 && committed() == 2);
        assertThat(handled).containsExactly(good);
        ProducerRecord<String, byte[]> letter = single(producer.history());
        assertThat(letter.topic()).isEqualTo("tribune.dlq.test-worker");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(header(letter, DeadLetters.REASON)).startsWith("undecodable: not JSON");
        assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.USERS);
        assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(metrics.counter(EventConsumer.metricPrefix("test-worker") + "dead_lettered").getCount())
                .isEqualTo(1);
    }

    @Test
    void skipsEventProcessedBefore() throws Exception {
        Event event = event();
        start(handled::add, record(EventCodec.encode(event)), record(EventCodec.encode(event)));

        await(() -> committed() == 2);
        assertThat(handled).containsExactly(event);
        assertThat(metrics.counter(EventConsumer.metricPrefix("test-worker") + "duplicates").getCount()).isEqualTo(1);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void retriesFailingHandlerAndCommitsOnlyAfterItSucceeded() throws Exception {
        Event event = event();
        AtomicInteger calls = new AtomicInteger();
        List<Long> committedWhileFailing = new CopyOnWriteArrayList<>();
        start(e -> {
            if (calls.incrementAndGet() < 3) {
                committedWhileFailing.add(committedFromPollThread());
                throw new IllegalStateException("SMTP down");
            }
            handled.add(e);
        }, record(EventCodec.encode(event)));

        await(() -> committed() == 1);
        assertThat(calls).hasValue(3);
        assertThat(committedWhileFailing).containsOnly(-1L);
        assertThat(handled).containsExactly(event);
        assertThat(processed.ids).containsExactly(event.id());
        assertThat(producer.history()).isEmpty();
        assertThat(metrics.counter(EventConsumer.metricPrefix("test-worker") + "retries").getCount()).isEqualTo(2);
    }

    @Test
    void deadLettersEventAfterLastAttemptAndHandlesTheNext() throws Exception {
        Event failing = event();
        Event next = event();
        start(e -> {
            if (e.equals(failing)) {
                throw new IllegalStateException("always broken");
            }
            handled.add(e);
        }, record(EventCodec.encode(failing)), record(EventCodec.encode(next)));

        await(() -> committed() == 2);
        assertThat(handled).containsExactly(next);
        ProducerRecord<String, byte[]> letter = single(producer.history());
        assertThat(header(letter, DeadLetters.REASON)).isEqualTo(
                "failed 3 times, last: java.lang.IllegalStateException: always broken");
        assertThat(header(letter, DeadLetters.EVENT_ID)).isEqualTo(failing.id().toString());
        assertThat(processed.ids).containsExactly(next.id());
    }

    @Test
    void deadLettersPoisonEventWithoutRetrying() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(e -> {
            calls.incrementAndGet();
            throw new PoisonEventException("invalid address 'nobody'");
        }, record(EventCodec.encode(event())));

        await(() -> committed() == 1);
        assertThat(calls).hasValue(1);
        assertThat(header(single(producer.history()), DeadLetters.REASON))
                .isEqualTo("rejected: invalid address 'nobody'");
    }

    @Test
    void handlesPartitionsOnSeveralThreadsEachInOrderAndCommitsBoth() throws Exception {
        TopicPartition other = new TopicPartition(Topics.USERS, 1);
        List<String> threads = new CopyOnWriteArrayList<>();
        Event first = event();
        Event second = event();
        Event onOther = event();
        start(e -> {
            threads.add(Thread.currentThread().getName());
            handled.add(e);
        }, record(EventCodec.encode(first)), record(EventCodec.encode(second)));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION, other));
            consumer.updateBeginningOffsets(Map.of(other, 0L));
            consumer.updateEndOffsets(Map.of(other, 1L));
            consumer.addRecord(new ConsumerRecord<>(other.topic(), other.partition(), 0, "k", EventCodec.encode(onOther)));
        });

        await(() -> committed() == 2 && committed(other) == 1);
        assertThat(handled).containsExactlyInAnyOrder(first, second, onOther);
        assertThat(handled.indexOf(first)).isLessThan(handled.indexOf(second));
        assertThat(threads).allMatch(name -> name.startsWith("consumer-test-worker"));
    }

    @Test
    void splitByKeyRunsKeysOfOnePartitionAtOnceEachInOrder() throws Exception {
        Event a1 = event();
        Event b1 = event();
        Event a2 = event();
        Event b2 = event();
        Map<UUID, String> keyOf = Map.of(a1.id(), "a", a2.id(), "a", b1.id(), "b", b2.id(), "b");
        CountDownLatch bStarted = new CountDownLatch(1);
        start(settings().splittingByKey(2), e -> {
            if (e.equals(a1) && !bStarted.await(5, TimeUnit.SECONDS)) {
                // One partition, one thread: b's first event cannot start while a's first one waits.
                throw new PoisonEventException("key b was not handled while key a's event was under way");
            }
            handled.add(e);
            if (keyOf.get(e.id()).equals("b")) {
                bStarted.countDown();
            }
        }, record("a", a1), record("b", b1), record("a", a2), record("b", b2));

        await(() -> committed() == 4);
        assertThat(producer.history()).as("nothing dead-lettered").isEmpty();
        assertThat(handled).containsExactlyInAnyOrder(a1, b1, a2, b2);
        assertThat(handled.indexOf(a1)).isLessThan(handled.indexOf(a2));
        assertThat(handled.indexOf(b1)).isLessThan(handled.indexOf(b2));
        assertThat(handled.indexOf(b1)).as("b ran while a1 waited").isLessThan(handled.indexOf(a1));
    }

    @Test
    void splitByKeyCommitsOnlyUpToTheFirstRecordLeftUnhandled() throws Exception {
        Event a1 = event();
        Event a2 = event();
        Event b1 = event();
        Event b2 = event();
        CountDownLatch a2Failed = new CountDownLatch(1);
        start(settings().withRetries(5, Duration.ofMinutes(1), Duration.ofMinutes(1)).splittingByKey(2), e -> {
            if (e.equals(a2)) {
                a2Failed.countDown();
                throw new IllegalStateException("SMTP down"); // then waits a minute to retry: stopped meanwhile
            }
            handled.add(e);
        }, record("a", a1), record("a", a2), record("b", b1), record("b", b2));

        await(() -> a2Failed.getCount() == 0 && handled.size() == 3);
        eventConsumer.stop();
        eventConsumer = null;

        assertThat(handled).containsExactlyInAnyOrder(a1, b1, b2);
        assertThat(lastCommitted.get(PARTITION)).as("a2 (offset 1) is read again; b1 and b2 past it are skipped then")
                .isEqualTo(1L);
        assertThat(processed.ids).containsExactlyInAnyOrder(a1.id(), b1.id(), b2.id());
    }

    @Test
    void reportsLagBehindTheEndOfThePartition() throws Exception {
        start(handled::add, record(EventCodec.encode(event())));
        consumer.schedulePollTask(() -> consumer.updateEndOffsets(Map.of(PARTITION, 11L)));

        await(() -> eventConsumer.lag() == 10);
        assertThat(metrics.getGauges().get(EventConsumer.metricPrefix("test-worker") + "lag").getValue())
                .isEqualTo(10L);
    }

    private void start(EventHandler handler, ConsumerRecord<String, byte[]>... records) {
        start(settings(), handler, records);
    }

    private static ConsumerSettings settings() {
        return ConsumerSettings.of("unused:9092", "test-worker", List.of(Topics.USERS))
                .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private void start(ConsumerSettings settings, EventHandler handler, ConsumerRecord<String, byte[]>... records) {
        eventConsumer = new EventConsumer(settings, consumer, producer, handler, processed, metrics,
                Clock.systemUTC());
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            consumer.updateEndOffsets(Map.of(PARTITION, (long) records.length));
            for (ConsumerRecord<String, byte[]> record : records) {
                consumer.addRecord(record);
            }
        });
        eventConsumer.start();
    }

    private ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), nextOffset++, "key", value);
    }

    private ConsumerRecord<String, byte[]> record(String key, Event event) {
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), nextOffset++, key,
                EventCodec.encode(event));
    }

    private static Event event() {
        return Event.of(new UserEvents.VerificationRequested(UUID.randomUUID().toString(), "a@example.org", "link"),
                Instant.parse("2026-11-26T10:00:00Z"));
    }

    /** The committed offset, or -1; MockConsumer is synchronized, so the test thread may ask while it runs. */
    private long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(PARTITION)).get(PARTITION);
        return offset == null ? -1 : offset.offset();
    }

    private long committed(TopicPartition partition) {
        OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
        return offset == null ? -1 : offset.offset();
    }

    private long committedFromPollThread() {
        return committed();
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static final class InMemoryProcessed implements ProcessedEvents {
        final Set<UUID> ids = ConcurrentHashMap.newKeySet();

        @Override
        public boolean isProcessed(UUID eventId) {
            return ids.contains(eventId);
        }

        @Override
        public void markProcessed(UUID eventId) {
            ids.add(eventId);
        }
    }
}
