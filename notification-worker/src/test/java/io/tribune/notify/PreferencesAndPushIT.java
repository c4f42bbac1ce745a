package io.tribune.notify;

import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.MeetingEvents;
import io.tribune.events.NotificationEvents;
import io.tribune.events.Topics;
import io.tribune.notify.push.UserAgentDecryptor;
import io.tribune.platform.PlatformExtension;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.tribune.notify.WorkerHarness.subjectStartsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the worker does with the api-server's notification preferences and push subscriptions: opted-out
 * addresses get no invitations or reminders, each invitee's reminder follows their own lead time, a push is
 * encrypted for the browser (a fake push service decrypts it), and a gone subscription (410) and each due reminder
 * of an invitee with an account are reported back on {@code tribune.notifications}.
 */
@ExtendWith(PlatformExtension.class)
class PreferencesAndPushIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private WorkerHarness harness;
    private HttpServer pushService;

    @BeforeEach
    void start() throws Exception {
        harness = new WorkerHarness();
    }

    @AfterEach
    void stop() {
        if (pushService != null) {
            pushService.stop(0);
        }
        harness.close();
    }

    @Test
    void leavesOutOptedOutAddressesAndRemindsEachInviteeAtTheirOwnLeadTime() throws Exception {
        harness.startWorker(); // default lead time 1 minute (test configuration)
        String domain = "prefs-" + UUID.randomUUID().toString().substring(0, 8) + ".example.org";
        String early = "early@" + domain;      // wants reminders 2 minutes ahead
        String optedOut = "quiet@" + domain;   // unsubscribed from invitations and reminders
        String standard = "standard@" + domain; // no preferences: the default minute
        harness.publish(new NotificationEvents.PreferencesChanged(null, optedOut,
                List.of("invitations", "reminders"), 10));
        harness.publish(new NotificationEvents.PreferencesChanged("user-early", early, List.of(), 2));
        awaitPreferences(List.of(early, optedOut));

        Instant earlyDue = Instant.now().plusSeconds(8);
        Instant start = earlyDue.plus(2, ChronoUnit.MINUTES);
        List<String> people = List.of(early, optedOut, standard);
        harness.publish(new MeetingEvents.Scheduled("m-" + UUID.randomUUID(), "host-1", "Planning", "meeting",
                start, start.plus(30, ChronoUnit.MINUTES), "UTC", null,
                people.stream().map(a -> new MeetingEvents.Invitee(null, a, "participant")).toList(), 0));

        List<MimeMessage> invitations = harness.awaitMails(people, subjectStartsWith("Invitation:"), 2, WAIT);
        String unsubscribe = invitations.get(0).getHeader("List-Unsubscribe", null);
        String token = unsubscribe.substring(unsubscribe.indexOf("token=") + 6, unsubscribe.length() - 1);
        assertThat(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8)).endsWith("\ninvitations");

        List<MimeMessage> reminders = harness.awaitMails(people, subjectStartsWith("Reminder: Planning"), 1, WAIT);
        assertThat(Instant.now()).isAfter(earlyDue.minusSeconds(1));
        assertThat(reminders.get(0).getAllRecipients()[0].toString()).isEqualTo(early);
        assertThat(reminders.get(0).getSubject()).isEqualTo("Reminder: Planning starts in 2 minutes");
        // The standard invitee's reminder is a minute later; the opted-out one never gets mail.
        assertThat(harness.mails(List.of(standard), subjectStartsWith("Reminder:"))).isEmpty();
        assertThat(harness.mails(List.of(optedOut), m -> true)).isEmpty();
        assertThat(harness.mails(List.of(standard, early), subjectStartsWith("Invitation:"))).hasSize(2);
    }

    @Test
    void reportsEachDueReminderOfAnInviteeWithAnAccountOnceEvenWithReminderMailsOff() throws Exception {
        harness.startWorker(); // default lead time 1 minute (test configuration)
        String domain = "due-" + UUID.randomUUID().toString().substring(0, 8) + ".example.org";
        String member = "member@" + domain;  // invited by account: the event carries the user id
        String noMail = "nomail@" + domain;  // an account (its preferences say so) without reminder mails
        String guest = "guest@" + domain;    // no account: mail only
        harness.publish(new NotificationEvents.PreferencesChanged("user-nomail", noMail, List.of("reminders"), 1));
        awaitPreferences(List.of(noMail));

        try (KafkaConsumer<String, byte[]> reports = fromEnd(Topics.NOTIFICATIONS)) {
            String meetingId = "m-" + UUID.randomUUID();
            Instant start = Instant.now().plusSeconds(75).truncatedTo(ChronoUnit.SECONDS);
            harness.publish(new MeetingEvents.Scheduled(meetingId, "host-1", "Standup", "meeting", start,
                    start.plus(15, ChronoUnit.MINUTES), "Europe/Paris", null, List.of(
                    new MeetingEvents.Invitee("user-member", member, "participant"),
                    new MeetingEvents.Invitee(null, noMail, "participant"),
                    new MeetingEvents.Invitee(null, guest, "participant")), 0));

            harness.awaitMails(List.of(member, guest), subjectStartsWith("Reminder: Standup"), 2, WAIT);
            List<NotificationEvents.ReminderDue> due = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            // Until both arrived, then a few seconds more: a third (or a repeat) would be a defect.
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, byte[]> record : reports.poll(Duration.ofMillis(200))) {
                    Optional<Event> event = decode(record.value());
                    if (event.isPresent() && event.get().data() instanceof NotificationEvents.ReminderDue d
                            && meetingId.equals(d.meetingId())) {
                        due.add(d);
                    }
                }
                if (due.size() >= 2 && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
            assertThat(due).extracting(NotificationEvents.ReminderDue::userId)
                    .containsExactlyInAnyOrder("user-member", "user-nomail");
            assertThat(due).allSatisfy(d -> {
                assertThat(d.title()).isEqualTo("Standup");
                assertThat(d.startTime()).isEqualTo(start);
                assertThat(d.timeZone()).isEqualTo("Europe/Paris");
            });
            assertThat(harness.mails(List.of(noMail), subjectStartsWith("Reminder:"))).isEmpty();
        }
    }

    @Test
    void anAccountsPreferencesFollowItToItsNewAddress() throws Exception {
        harness.startWorker();
        String domain = "moved-" + UUID.randomUUID().toString().substring(0, 8) + ".example.org";
        String user = "user-" + UUID.randomUUID();
        String before = "before@" + domain;
        String after = "after@" + domain;
        String other = "other@" + domain;
        harness.publish(new NotificationEvents.PreferencesChanged(user, before, List.of("invitations"), 10));
        awaitPreferences(List.of(before));
        harness.publish(new io.tribune.events.UserEvents.Updated(user, "moved", after));
        awaitPreferences(List.of(after));

        Instant start = Instant.now().plus(2, ChronoUnit.HOURS);
        List<String> people = List.of(after, other);
        harness.publish(new MeetingEvents.Scheduled("m-" + UUID.randomUUID(), "host-1", "Retro", "meeting",
                start, start.plus(30, ChronoUnit.MINUTES), "UTC", null,
                people.stream().map(a -> new MeetingEvents.Invitee(null, a, "participant")).toList(), 0));
        harness.awaitMails(List.of(other), subjectStartsWith("Invitation: Retro"), 1, WAIT);
        // Invitations of one event go out in the invitees' order: the moved address's would have come first.
        assertThat(harness.mails(List.of(after), m -> true)).isEmpty();
    }

    @Test
    void pushesAMessageTheBrowserCanDecryptAndReportsAGoneSubscription() throws Exception {
        KeyPair browser = p256();
        byte[] auth = new byte[16];
        new java.security.SecureRandom().nextBytes(auth);
        Map<String, String> received = new ConcurrentHashMap<>();
        pushService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pushService.createContext("/ok/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                received.put(exchange.getRequestURI().getPath(), new String(UserAgentDecryptor.decrypt(body,
                        UserAgentDecryptor.scalar((ECPrivateKey) browser.getPrivate()),
                        UserAgentDecryptor.uncompressed((ECPublicKey) browser.getPublic()), auth),
                        StandardCharsets.UTF_8));
            } catch (Exception e) {
                received.put(exchange.getRequestURI().getPath(), "UNDECRYPTABLE " + e);
            }
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        pushService.createContext("/gone/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(410, -1);
            exchange.close();
        });
        pushService.start();
        KeyPair vapid = p256();
        harness.startWorker(
                ConfigOverride.config("webPush.publicKey",
                        B64.encodeToString(UserAgentDecryptor.uncompressed((ECPublicKey) vapid.getPublic()))),
                ConfigOverride.config("webPush.privateKey",
                        B64.encodeToString(UserAgentDecryptor.scalar((ECPrivateKey) vapid.getPrivate()))),
                ConfigOverride.config("webPush.allowLoopbackHttp", "true"));
        String base = "http://127.0.0.1:" + pushService.getAddress().getPort();
        String okEndpoint = base + "/ok/" + UUID.randomUUID();
        String goneEndpoint = base + "/gone/" + UUID.randomUUID();
        String p256dh = B64.encodeToString(UserAgentDecryptor.uncompressed((ECPublicKey) browser.getPublic()));

        try (KafkaConsumer<String, byte[]> reports = fromEnd(Topics.NOTIFICATIONS)) {
            String user = "user-" + UUID.randomUUID();
            harness.publish(new NotificationEvents.Requested(UUID.randomUUID().toString(), user, null, "push",
                    "recording_ready", Map.of("title", "Design review", "url", "https://meet.example.org/app/#/r/1",
                    "endpoint", okEndpoint, "p256dh", p256dh, "auth", B64.encodeToString(auth))));
            harness.publish(new NotificationEvents.Requested(UUID.randomUUID().toString(), user, null, "push",
                    "recording_ready", Map.of("title", "Design review", "url", "https://meet.example.org/app/#/r/1",
                    "endpoint", goneEndpoint, "p256dh", p256dh, "auth", B64.encodeToString(auth))));

            NotificationEvents.PushSubscriptionExpired expired = awaitExpiry(reports, goneEndpoint);
            assertThat(expired.userId()).isEqualTo(user);
            assertThat(expired.status()).isEqualTo(410);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(received.values()).singleElement().asString()
                    .contains("\"title\":\"Recording ready: Design review\"")
                    .contains("\"url\":\"https://meet.example.org/app/#/r/1\"");
        }
    }

    private void awaitPreferences(List<String> addresses) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = DriverManager.getConnection(harness.jdbcUrl, harness.urls.dbUser(),
                harness.urls.dbPassword())) {
            while (System.nanoTime() < deadline) {
                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM notification.recipient_preferences"
                        + " WHERE email = ANY (?)")) {
                    s.setArray(1, c.createArrayOf("text", addresses.toArray()));
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        if (r.getInt(1) == addresses.size()) {
                            return;
                        }
                    }
                } catch (java.sql.SQLException e) {
                    // the worker's migration may not have run yet
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the worker never stored the preferences of " + addresses);
    }

    private KafkaConsumer<String, byte[]> fromEnd(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.urls.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static NotificationEvents.PushSubscriptionExpired awaitExpiry(KafkaConsumer<String, byte[]> consumer,
                                                                          String endpoint) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Optional<Event> event = decode(record.value());
                if (event.isPresent() && event.get().data() instanceof NotificationEvents.PushSubscriptionExpired e
                        && endpoint.equals(e.endpoint())) {
                    return e;
                }
            }
        }
        throw new AssertionError("no push_subscription_expired for " + endpoint + " within " + WAIT);
    }

    private static Optional<Event> decode(byte[] value) {
        try {
            return Optional.of(EventCodec.decode(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
