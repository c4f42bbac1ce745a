package io.tribune.api.outbox;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.Topics;
import io.tribune.events.UserEvents;
import io.tribune.platform.EmbeddedPlatform;
import io.tribune.platform.PlatformExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PlatformExtension.class)
class OutboxRelayIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    @BeforeAll
    static void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(Topics.USERS, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static ApiServerApplication app() {
        return APP.getApplication();
    }

    private static Jdbi jdbi() {
        return app().jdbi();
    }

    private static String kafkaBootstrap() {
        return PlatformExtension.platform().urls().kafkaBootstrap();
    }

    /** Writes {@code count} registrations, {@code perTransaction} per committed transaction, each its own key. */
    private static List<Event> writeRegistrations(String prefix, int count, int perTransaction) {
        return writeRegistrations(prefix, count, perTransaction, count);
    }

    /** As above, spread over {@code keys} user ids (event i is about user {@code prefix-(i % keys)}). */
    private static List<Event> writeRegistrations(String prefix, int count, int perTransaction, int keys) {
        List<Event> events = new ArrayList<>();
        for (int start = 0; start < count; start += perTransaction) {
            int from = start;
            int to = Math.min(count, start + perTransaction);
            events.addAll(jdbi().inTransaction(handle -> {
                List<Event> written = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    written.add(app().outboxWriter().append(handle,
                            new UserEvents.Registered(prefix + "-" + (i % keys), "user" + i,
                                    "user" + i + "@example.org")));
                }
                return written;
            }));
        }
        return events;
    }

    private static long unsentAmong(List<Event> events) {
        return jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND event_id IN (<ids>)")
                .bindList("ids", events.stream().map(Event::id).toList())
                .mapTo(Long.class)
                .one());
    }

    private static Map<UUID, Integer> consumeCounts(String topic, Set<UUID> wanted, Duration timeout) {
        return consumeCounts(topic, wanted, wanted, timeout, new ArrayList<>());
    }

    private static Map<UUID, Integer> consumeCounts(String topic, Set<UUID> wanted, Set<UUID> awaited,
                                                    Duration timeout) {
        return consumeCounts(topic, wanted, awaited, timeout, new ArrayList<>());
    }

    /**
     * Reads {@code topic} from the beginning with a fresh group until every awaited id arrived (or the time is
     * up), then a little longer so that late duplicates would be seen too. Returns how often each wanted id
     * arrived; {@code arrivals} receives the wanted events in the order they were read.
     */
    private static Map<UUID, Integer> consumeCounts(String topic, Set<UUID> wanted, Set<UUID> awaited,
                                                    Duration timeout, List<Event> arrivals) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "outbox-relay-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<UUID, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long graceEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, graceEnd)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header header = record.headers().lastHeader(OutboxRelay.EVENT_ID_HEADER);
                    if (header == null) {
                        continue;
                    }
                    UUID headerId = UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
                    if (!wanted.contains(headerId)) {
                        continue;
                    }
                    Event event = EventCodec.decode(record.value());
                    assertThat(event.id()).as("event id in the payload matches the header").isEqualTo(headerId);
                    assertThat(record.key()).isEqualTo(event.key());
                    counts.merge(headerId, 1, Integer::sum);
                    arrivals.add(event);
                }
                if (graceEnd == Long.MAX_VALUE && counts.keySet().containsAll(awaited)) {
                    graceEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return counts;
    }

    @Nested
    class WhenTheBrokerIsUp {

        @Test
        void publishesCommittedEventsPromptlyAndMarksThemSent() {
            List<Event> events = writeRegistrations("prompt-" + UUID.randomUUID(), 20, 5);
            Set<UUID> ids = ids(events);

            Map<UUID, Integer> counts = consumeCounts(Topics.USERS, ids, Duration.ofSeconds(30));

            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(counts.values()).allMatch(count -> count == 1);
            assertThat(unsentAmong(events)).isZero();
        }

        @Test
        void neverPublishesARowWhoseTransactionRolledBack() {
            String prefix = "rolled-back-" + UUID.randomUUID();
            List<Event> rolledBack = new ArrayList<>();
            assertThatThrownBy(() -> jdbi().useTransaction(handle -> {
                rolledBack.add(app().outboxWriter().append(handle,
                        new UserEvents.Registered(prefix, "ghost", "ghost@example.org")));
                throw new IllegalStateException("the change failed after the event was appended");
            })).hasMessageContaining("the change failed");
            // A committed event written afterwards marks the point by which the relay had its chance.
            List<Event> committed = writeRegistrations(prefix + "-after", 1, 1);

            Set<UUID> wanted = new HashSet<>(ids(rolledBack));
            wanted.addAll(ids(committed));
            Map<UUID, Integer> counts = consumeCounts(Topics.USERS, wanted, ids(committed), Duration.ofSeconds(30));

            assertThat(counts).containsOnlyKeys(ids(committed));
            long rolledBackRows = jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT count(*) FROM outbox WHERE event_id = :id")
                    .bind("id", rolledBack.get(0).id())
                    .mapTo(Long.class)
                    .one());
            assertThat(rolledBackRows).isZero();
        }

        @Test
        void refusesToAppendOutsideATransaction() {
            assertThatThrownBy(() -> jdbi().useHandle(handle -> app().outboxWriter().append(handle,
                    new UserEvents.Registered("no-transaction", "x", "x@example.org"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside the transaction");
        }

        @Test
        void deletesSentRowsOlderThanTheRetentionButNeverUnsentOnes() {
            List<Event> events = writeRegistrations("retention-" + UUID.randomUUID(), 3, 3);
            consumeCounts(Topics.USERS, ids(events), Duration.ofSeconds(30));
            UUID old = events.get(0).id();
            UUID unsent = events.get(1).id();
            jdbi().useHandle(handle -> {
                handle.createUpdate("UPDATE outbox SET sent_at = now() - interval '8 days' WHERE event_id = :id")
                        .bind("id", old).execute();
                // Pretend this one is still waiting for a retry far in the future, and old.
                handle.createUpdate("UPDATE outbox SET sent_at = NULL, created_at = now() - interval '30 days', "
                                + "next_attempt_at = now() + interval '1 hour' WHERE event_id = :id")
                        .bind("id", unsent).execute();
            });

            app().outboxRelay().deleteSentBefore(Instant.now().minus(Duration.ofDays(7)));

            List<UUID> remaining = jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT event_id FROM outbox WHERE event_id IN (<ids>)")
                    .bindList("ids", List.copyOf(ids(events)))
                    .mapTo(UUID.class)
                    .list());
            assertThat(remaining).containsExactlyInAnyOrder(unsent, events.get(2).id());
            jdbi().useHandle(handle -> handle.createUpdate("DELETE FROM outbox WHERE event_id = :id")
                    .bind("id", unsent).execute());
        }
    }

    @Nested
    class WhenTheBrokerIsDown {

        @Test
        void keepsEventsUnsentThenPublishesEachExactlyOnceInKeyOrderAfterTheBrokerReturns() throws Exception {
            EmbeddedPlatform platform = PlatformExtension.platform();
            // The producer has talked to the broker before the outage, as in any running deployment.
            List<Event> warmUp = writeRegistrations("warm-up-" + UUID.randomUUID(), 1, 1);
            assertThat(consumeCounts(Topics.USERS, ids(warmUp), Duration.ofSeconds(30))).hasSize(1);
            List<Event> events;
            try {
                platform.kafka().stop();

                events = writeRegistrations("outage-" + UUID.randomUUID(), 200, 10, 20);

                // Longer than the delivery timeout (5 s in the test config): sends have failed by now.
                Thread.sleep(7_000);
                assertThat(unsentAmong(events)).as("rows stay unsent while the broker is down").isEqualTo(200);
                int attempts = jdbi().withHandle(handle -> handle.createQuery(
                                "SELECT coalesce(max(attempts), 0) FROM outbox WHERE event_id IN (<ids>)")
                        .bindList("ids", events.stream().map(Event::id).toList())
                        .mapTo(Integer.class)
                        .one());
                assertThat(attempts).as("the relay tried and recorded the failure").isPositive();
            } finally {
                platform.kafka().start();
            }

            List<Event> arrivals = new ArrayList<>();
            Map<UUID, Integer> counts = consumeCounts(Topics.USERS, ids(events), ids(events),
                    Duration.ofSeconds(60), arrivals);

            assertThat(counts.keySet()).as("every event arrived").containsExactlyInAnyOrderElementsOf(ids(events));
            assertThat(counts).as("no event arrived twice").allSatisfy((id, count) -> assertThat(count).isOne());
            assertThat(unsentAmong(events)).as("every row is marked sent").isZero();
            assertThat(perKey(arrivals)).as("each key's events arrived in commit order").isEqualTo(perKey(events));
        }
    }

    private static Map<String, List<UUID>> perKey(List<Event> events) {
        Map<String, List<UUID>> byKey = new HashMap<>();
        events.forEach(event -> byKey.computeIfAbsent(event.key(), key -> new ArrayList<>()).add(event.id()));
        return byKey;
    }

    private static Set<UUID> ids(List<Event> events) {
        Set<UUID> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.id()));
        return ids;
    }
}
