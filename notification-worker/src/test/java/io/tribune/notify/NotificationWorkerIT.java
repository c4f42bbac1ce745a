package io.tribune.notify;

import static io.tribune.notify.WorkerHarness.subjectStartsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import io.tribune.common.kafka.DeadLetters;
import io.tribune.events.Event;
import io.tribune.events.MeetingEvents;
import io.tribune.events.NotificationEvents;
import io.tribune.events.Topics;
import io.tribune.events.UserEvents;
import io.tribune.platform.PlatformExtension;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PlatformExtension.class)
class NotificationWorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static WorkerHarness harness;
    private static DropwizardTestSupport<NotificationWorkerConfiguration> worker;

    @BeforeAll
    static void start() throws Exception {
        harness = new WorkerHarness();
        worker = harness.startWorker();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void invitesEachInviteeWithAnIcsThenSendsUpdatesWithAHigherSequenceThenCancellations() throws Exception {
        String meetingId = "m-" + UUID.randomUUID();
        List<String> people = addresses(3);
        List<MeetingEvents.Invitee> invitees = people.stream()
                .map(a -> new MeetingEvents.Invitee(null, a, "participant")).toList();
        Instant start = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

        Event scheduled = harness.publish(new MeetingEvents.Scheduled(meetingId, "host-1", "Quarterly review",
                "meeting", start, start.plus(1, ChronoUnit.HOURS), "Europe/Berlin", "FREQ=WEEKLY;COUNT=3", invitees,
                0));
        List<MimeMessage> invitations = harness.awaitMails(people, subjectStartsWith("Invitation: Quarterly"), 3,
                WAIT);
        assertThat(invitations).hasSize(3);
        for (MimeMessage invitation : invitations) {
            VEvent event = requireEvent(invitation, "REQUEST");
            assertThat(event.getProperty(Property.UID).orElseThrow().getValue())
                    .isEqualTo(meetingId + "@meet.example.org");
            assertThat(event.getProperty(Property.SEQUENCE).orElseThrow().getValue()).isEqualTo("0");
            assertThat(event.getProperty(Property.RRULE).orElseThrow().getValue()).isEqualTo("FREQ=WEEKLY;COUNT=3");
            assertThat(WorkerHarness.part(invitation, "text/plain")).contains("https://meet.example.org/meetings/"
                    + meetingId);
            assertThat(WorkerHarness.part(invitation, "text/html")).contains("Quarterly review");
            assertThat(invitation.getHeader("List-Unsubscribe")[0])
                    .startsWith("<https://meet.example.org/api/v1/notifications/unsubscribe?token=");
            assertThat(invitation.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        }
        assertThat(invitations).extracting(m -> m.getAllRecipients()[0].toString())
                .containsExactlyInAnyOrderElementsOf(people);

        harness.publish(new MeetingEvents.Updated(meetingId, "host-1", "Quarterly review", "meeting",
                start.plus(2, ChronoUnit.HOURS), start.plus(3, ChronoUnit.HOURS), "Europe/Berlin",
                "FREQ=WEEKLY;COUNT=3", invitees, 1, null));
        List<MimeMessage> updates = harness.awaitMails(people, subjectStartsWith("Updated invitation:"), 3, WAIT);
        for (MimeMessage update : updates) {
            VEvent event = requireEvent(update, "REQUEST");
            assertThat(event.getProperty(Property.UID).orElseThrow().getValue())
                    .isEqualTo(meetingId + "@meet.example.org");
            assertThat(Integer.parseInt(event.getProperty(Property.SEQUENCE).orElseThrow().getValue())).isEqualTo(1);
        }

        harness.publish(new MeetingEvents.Cancelled(meetingId, "host-1", "Quarterly review", invitees, 2, null));
        List<MimeMessage> cancellations = harness.awaitMails(people, subjectStartsWith("Cancelled:"), 3, WAIT);
        for (MimeMessage cancellation : cancellations) {
            VEvent event = requireEvent(cancellation, "CANCEL");
            assertThat(event.getProperty(Property.STATUS).orElseThrow().getValue()).isEqualTo("CANCELLED");
            assertThat(event.getProperty(Property.SEQUENCE).orElseThrow().getValue()).isEqualTo("2");
        }

        // The same event again (a producer retry): skipped; then something after it, to know it was read.
        harness.publish(scheduled);
        String sentinel = addresses(1).get(0);
        harness.publish(new UserEvents.VerificationRequested("u-" + UUID.randomUUID(), sentinel, "link-1"));
        harness.awaitMails(List.of(sentinel), m -> true, 1, WAIT);
        assertThat(harness.mails(people, m -> true)).hasSize(9);
    }

    @Test
    void deadLettersAPoisonRecordWithItsReasonAndGoesOnWithTheNextEvent() throws Exception {
        harness.publishRaw(Topics.USERS, "u-poison", "{\"id\":\"not an event\"".getBytes(StandardCharsets.UTF_8));
        String ada = addresses(1).get(0);
        harness.publish(new UserEvents.PasswordResetRequested("u-" + UUID.randomUUID(), ada, "Zm9v+bar/baz"));

        MimeMessage reset = harness.awaitMails(List.of(ada), m -> true, 1, WAIT).get(0);
        assertThat(reset.getSubject()).isEqualTo("Reset your Tribune password");
        assertThat(WorkerHarness.part(reset, "text/plain"))
                .contains("https://meet.example.org/reset-password?link=Zm9v%2Bbar%2Fbaz");
        assertThat(reset.getHeader("List-Unsubscribe")).isNull();

        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> letter : readTopic(Topics.deadLetter(harness.group))) {
            if ("u-poison".equals(letter.key())) {
                reasons.add(new String(letter.headers().lastHeader(DeadLetters.REASON).value(),
                        StandardCharsets.UTF_8));
            }
        }
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).startsWith("undecodable:");
    }

    @Test
    void deadLettersARequestForAnUnknownTemplateAndMailsAKnownOne() throws Exception {
        String bob = addresses(1).get(0);
        NotificationEvents.Requested unknown = new NotificationEvents.Requested(UUID.randomUUID().toString(), null,
                bob, "email", "no_such_template", Map.of());
        harness.publish(unknown);
        harness.publish(new NotificationEvents.Requested(UUID.randomUUID().toString(), null, bob, "email",
                "recording_ready", Map.of("title", "Town hall", "url", "https://meet.example.org/recordings/r1")));

        MimeMessage mail = harness.awaitMails(List.of(bob), m -> true, 1, WAIT).get(0);
        assertThat(mail.getSubject()).isEqualTo("Recording ready: Town hall");
        assertThat(harness.mails(List.of(bob), m -> true)).hasSize(1);
        assertThat(readTopic(Topics.deadLetter(harness.group))).anySatisfy(letter -> assertThat(
                new String(letter.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("rejected: unknown template: no_such_template.txt"));
    }

    @Test
    void retriesAMailWhileTheRelayIsDownAndSendsItOnceItIsBack() throws Exception {
        String carol = addresses(1).get(0);
        harness.smtp.stop();
        try {
            Event event = harness.publish(new UserEvents.VerificationRequested("u-" + UUID.randomUUID(), carol,
                    "link-2"));
            awaitAttempts(event, carol, 1);
        } finally {
            harness.smtp.start();
        }
        harness.awaitMails(List.of(carol), m -> true, 1, WAIT);
        Thread.sleep(3000);
        assertThat(harness.mails(List.of(carol), m -> true)).hasSize(1);
    }

    @Test
    void servesHealthChecksAndPrometheusMetricsOnTheAdminPort() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + worker.getAdminPort();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("kafka-consumer").contains("smtp").contains("scheduler");
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("tribune_consumer_notification_worker_it_").contains("_lag")
                .contains("notification_email_sent");
    }

    private void awaitAttempts(Event event, String recipient, int attempts) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = DriverManager.getConnection(harness.jdbcUrl, harness.urls.dbUser(),
                    harness.urls.dbPassword());
                 PreparedStatement statement = connection.prepareStatement("SELECT attempts, status FROM"
                         + " notification.deliveries WHERE source_event = ? AND recipient = ?")) {
                statement.setObject(1, event.id());
                statement.setString(2, recipient);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next() && rows.getInt(1) >= attempts && rows.getString(2).equals("pending")) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no failed attempt recorded for " + recipient);
    }

    private static VEvent requireEvent(MimeMessage message, String method) throws Exception {
        String ics = WorkerHarness.part(message, "text/calendar");
        assertThat(ics).as("text/calendar part").isNotNull();
        assertThat(message.getContentType()).startsWith("multipart/mixed");
        Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
        assertThat(calendar.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo(method);
        List<VEvent> events = calendar.getComponents(Component.VEVENT);
        assertThat(events).isNotEmpty();
        return events.get(0);
    }

    private static List<String> addresses(int count) {
        String domain = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".example.org";
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("person" + i + "@" + domain);
        }
        return addresses;
    }

    private static List<ConsumerRecord<String, byte[]>> readTopic(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.urls.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            reader.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (records.isEmpty() || emptyPolls < 3)) {
                int before = records.size();
                reader.poll(Duration.ofMillis(300)).forEach(records::add);
                emptyPolls = records.size() == before ? emptyPolls + 1 : 0;
            }
        }
        return records;
    }
}
