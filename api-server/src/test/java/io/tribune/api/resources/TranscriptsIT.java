package io.tribune.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.api.core.FixedTranscript;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.common.kafka.DeadLetters;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.MeetingEvents;
import io.tribune.events.NotificationEvents;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transcripts against the real platform: final captions from {@code tribune.captions} stored once (duplicates,
 * replays, partials, poison records), the meeting's and a recording's transcript as JSON, WebVTT, SRT and text with
 * the read rules, full-text search with its permission filter and snippet parts, the summary stored when the
 * meeting ends, and the summary sent to the participants who consented (by the host, or by itself with
 * {@code share_summary}) on the channels each of them allows.
 */
@ExtendWith(PlatformExtension.class)
class TranscriptsIT {

    /** A group of its own, so this class reads every caption itself and has its own dead-letter topic. */
    private static final String GROUP = "it-transcripts-" + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(ApiServerApplication.class,
            ConfigOverride.config("transcripts.consumerGroup", GROUP),
            ConfigOverride.config("transcripts.chapterPause", "5 seconds"),
            ConfigOverride.config("transcripts.minimumChapter", "40 seconds"),
            // Browsers may subscribe to pushes (the key is NotificationsIT's; nothing is pushed from here).
            ConfigOverride.config("notifications.vapidPublicKey",
                    "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"));

    private static KafkaProducer<String, byte[]> producer;

    MeetingTestSupport support;
    ApiClient api;

    @BeforeAll
    static void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestApps.urls().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        producer.close(Duration.ofSeconds(10));
    }

    @BeforeEach
    void newClient() {
        api = ApiClient.local(APP.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    private static byte[] encoded(EventData data) {
        return EventCodec.encode(Event.of(data, Instant.now()));
    }

    private static void send(EventData data) throws Exception {
        sendRaw(data instanceof MeetingEvents.Ended ? Topics.MEETINGS : Topics.CAPTIONS, data.key(), encoded(data));
    }

    private static void sendRaw(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static CaptionEvents.Caption caption(String meetingId, String phraseId, String name, String text,
                                                 boolean isFinal, Instant start, Instant end) {
        return new CaptionEvents.Caption(meetingId, "p-" + name.toLowerCase(), name, "track-" + name, phraseId,
                text, isFinal, 0, Duration.between(start, end).toMillis(), start, end);
    }

    private static String phrase() {
        return "phrase-" + UUID.randomUUID();
    }

    private JsonNode awaitTranscript(String path, Account viewer, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Answer answer = null;
        while (System.nanoTime() < deadline) {
            answer = api.get(path, viewer.token());
            if (answer.status() == 200 && done.test(answer.json())) {
                return answer.json();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The transcript at " + path + " never became as expected; last: " + answer);
    }

    private static List<String> phrases(JsonNode transcript) {
        List<String> phrases = new ArrayList<>();
        transcript.path("segments").forEach(s -> phrases.add(s.path("phrase_id").asText()));
        return phrases;
    }

    private static String meetingPath(String meetingId) {
        return "/api/v1/meetings/" + meetingId + "/transcript";
    }

    @Test
    void storesEveryFinalOnceSkipsPartialsAndDeadLettersWhatCannotBeStored() throws Exception {
        Account host = support.member();
        String meetingId = support.create(host).path("meeting_id").asText();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        String once = phrase();
        String corrected = phrase();
        String partialOnly = phrase();
        String backwards = phrase();
        String empty = phrase();
        String elsewhere = phrase();
        String last = phrase();

        CaptionEvents.Caption first = caption(meetingId, once, "Ann", "hello everyone", true, t0, t0.plusSeconds(2));
        byte[] replayed = encoded(first);
        send(first); // the producer's retry: the same caption as a second event
        sendRaw(Topics.CAPTIONS, meetingId, replayed);
        sendRaw(Topics.CAPTIONS, meetingId, replayed); // a replay: the same record again
        send(caption(meetingId, partialOnly, "Bob", "this is only a par", false, t0.plusSeconds(3),
                t0.plusSeconds(4)));
        send(caption(meetingId, corrected, "Bob", "the budget is", false, t0.plusSeconds(5), t0.plusSeconds(6)));
        send(caption(meetingId, corrected, "Bob", "the budget is approved", true, t0.plusSeconds(5),
                t0.plusSeconds(7)));
        send(caption(meetingId, backwards, "Bob", "time runs backwards", true, t0.plusSeconds(9),
                t0.plusSeconds(8)));
        send(caption(meetingId, empty, "Bob", "   ", true, t0.plusSeconds(10), t0.plusSeconds(11)));
        send(caption("aaaaaaaaaaaaaaaaaaaa", elsewhere, "Bob", "no such meeting", true, t0, t0.plusSeconds(1)));
        byte[] garbage = ("not an event " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        sendRaw(Topics.CAPTIONS, meetingId, garbage);
        send(caption(meetingId, last, "Ann", "goodbye", true, t0.plusSeconds(20), t0.plusSeconds(21)));

        JsonNode transcript = awaitTranscript(meetingPath(meetingId), host, t -> phrases(t).contains(last));

        assertThat(phrases(transcript)).containsExactly(once, corrected, last);
        JsonNode segments = transcript.path("segments");
        assertThat(segments.get(1).path("text").asText()).isEqualTo("the budget is approved");
        assertThat(segments.get(1).path("name").asText()).isEqualTo("Bob");
        assertThat(segments.get(1).path("participant_id").asText()).isEqualTo("p-bob");
        assertThat(segments.get(1).path("offset_ms").asLong()).isEqualTo(5000);
        assertThat(segments.get(1).path("end_offset_ms").asLong()).isEqualTo(7000);
        assertThat(segments.get(0).path("start").asText()).isEqualTo(t0.toString());
        long rows = APP.<ApiServerApplication>getApplication().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM transcript_segments WHERE phrase_id = :p").bind("p", once)
                .mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);

        List<ConsumerRecord<String, byte[]>> dead = deadLetters(4, record -> {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            return record.value().length == garbage.length && java.util.Arrays.equals(record.value(), garbage)
                    || value.contains(backwards) || value.contains(empty) || value.contains(elsewhere);
        });
        assertThat(dead).extracting(r -> header(r, DeadLetters.REASON)).anySatisfy(reason ->
                assertThat(reason).contains("ends before it starts")).anySatisfy(reason ->
                assertThat(reason).contains("no text")).anySatisfy(reason ->
                assertThat(reason).contains("no meeting aaaaaaaaaaaaaaaaaaaa"));
    }

    @Test
    void keepsTheSamePhraseIdOfTwoMeetingsApart() throws Exception {
        Account host = support.member();
        String first = support.create(host).path("meeting_id").asText();
        String second = support.create(host).path("meeting_id").asText();
        String shared = "audio-0badf00d-1";
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        send(caption(first, shared, "Ann", "in the first meeting", true, t0, t0.plusSeconds(1)));
        send(caption(second, shared, "Bob", "in the second meeting", true, t0, t0.plusSeconds(1)));

        assertThat(awaitTranscript(meetingPath(first), host, t -> t.path("segments").size() == 1)
                .path("segments").get(0).path("text").asText()).isEqualTo("in the first meeting");
        assertThat(awaitTranscript(meetingPath(second), host, t -> t.path("segments").size() == 1)
                .path("segments").get(0).path("text").asText()).isEqualTo("in the second meeting");
    }

    @Test
    void mailsTheSummaryToTheParticipantsWhoAcknowledgedTheRecordingWhenItsManagerSendsIt() throws Exception {
        Account host = support.member();
        Account participant = support.member();
        Account silent = support.member();
        String meetingId = support.create(host, "participants", List.of(participant.id(), silent.id()),
                "title", "Summary mail", "settings", Map.of("lobby", false, "join_before_host", true))
                .path("meeting_id").asText();
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id()));
        String recordingId = started.json().path("recording_id").asText();
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(),
                Map.of("user_id", host.id())).status()).isEqualTo(200);
        // The participant acknowledged the recording in the room (the meeting channel writes these rows), and so
        // did a guest without an account; the other invitee never joined.
        APP.<ApiServerApplication>getApplication().jdbi().useHandle(h -> {
            h.execute("INSERT INTO recording_consents (recording_id, participant_id, user_id, guest, display_name, "
                    + "acknowledged_at) VALUES (?, ?, ?, false, 'Pat', now())", recordingId, participant.id(),
                    participant.id());
            h.execute("INSERT INTO recording_consents (recording_id, participant_id, user_id, guest, display_name, "
                    + "acknowledged_at) VALUES (?, 'guest-1', NULL, true, 'Guest', now())", recordingId);
        });
        JsonNode recording = api.get("/api/v1/recordings/" + recordingId, host.token()).json();
        Instant from = Instant.parse(recording.path("started_at").asText());
        Instant to = Instant.parse(recording.path("stopped_at").asText());
        send(caption(meetingId, phrase(), "Ann", "the quarterly budget review starts the meeting today", true,
                from, to));
        send(caption(meetingId, phrase(), "Bob", "i will update the budget spreadsheet by friday", true, from, to));
        send(caption(meetingId, phrase(), "Ann", "we decided to move the travel budget to marketing", true, from,
                to));
        String path = "/api/v1/recordings/" + recordingId + "/transcript";
        awaitTranscript(path, host, t -> t.path("segments").size() == 3);

        // Not shared: the participant does not even see the recording; shared, they see it but may not send.
        assertThat(api.post(path + "/summary/send", participant.token(), Map.of()).status()).isEqualTo(404);
        assertThat(api.send("PUT", "/api/v1/recordings/" + recordingId + "/sharing", host.token(),
                Map.of("participants", true)).status()).isEqualTo(200);
        assertThat(api.post(path + "/summary/send", participant.token(), Map.of()).status()).isEqualTo(403);
        assertThat(api.post(path + "/summary/send", support.member().token(), Map.of()).status()).isEqualTo(404);
        Answer sent = api.post(path + "/summary/send", host.token(), Map.of());
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.json().path("recipients").asInt()).isEqualTo(1);

        List<NotificationEvents.Requested> mails = requested("transcript-summary-" + recordingId, 1);
        NotificationEvents.Requested mail = mails.get(0);
        assertThat(mail.notificationId()).isEqualTo("transcript-summary-" + recordingId + "-" + participant.id());
        assertThat(mail.userId()).isEqualTo(participant.id());
        assertThat(mail.email()).isEqualTo(participant.email());
        assertThat(mail.channel()).isEqualTo("email");
        assertThat(mail.template()).isEqualTo("transcript_summary");
        assertThat(mail.params().get("title")).isEqualTo("Summary mail");
        assertThat(mail.params().get("action_items")).contains("- i will update the budget spreadsheet by friday");
        assertThat(mail.params().get("decisions")).contains("we decided to move the travel budget to marketing");
        assertThat(mail.params().get("url")).endsWith("/app/#/recordings/" + recordingId);
        // notification-worker renders the template only when every placeholder has a value.
        for (String file : List.of("transcript_summary.txt", "transcript_summary.html")) {
            String template = java.nio.file.Files.readString(java.nio.file.Path.of("..", "notification-worker",
                    "src", "main", "resources", "templates", file));
            Matcher placeholder = Pattern.compile("\\{\\{([a-z_]+)}}").matcher(template);
            while (placeholder.find()) {
                assertThat(mail.params()).as(file).containsKey(placeholder.group(1));
            }
        }
    }

    @Test
    void sharesTheSummaryOnEachConsentingParticipantsChannelsWhenTheMeetingEndsIfTheHostAllowsIt() throws Exception {
        Account host = support.member();
        Account mailed = support.member();
        Account bellAndPush = support.member();
        Account absent = support.member();
        // One participant turned summary mails off (push and in-app stay on) and has a browser subscribed.
        assertThat(api.send("PUT", "/api/v1/users/me/notification_preferences", bellAndPush.token(),
                Map.of("preferences", Map.of("email", Map.of("transcripts", false)))).status()).isEqualTo(200);
        String endpoint = "https://push.example/send/" + UUID.randomUUID();
        assertThat(api.post("/api/v1/push/subscriptions", bellAndPush.token(), Map.of("endpoint", endpoint,
                "keys", Map.of("p256dh", userAgentKey(), "auth", b64(new byte[16])))).status()).isEqualTo(201);
        String meetingId = support.create(host, "participants", List.of(mailed.id(), bellAndPush.id(), absent.id()),
                "title", "Shared summary", "settings", Map.of("lobby", false, "join_before_host", true,
                        "share_summary", true)).path("meeting_id").asText();
        assertThat(api.get("/api/v1/meetings/" + meetingId, host.token()).json().path("settings")
                .path("share_summary").asBoolean()).isTrue();
        String recordingId = recordWithTranscript(host, meetingId, mailed, bellAndPush);

        send(new MeetingEvents.Ended(meetingId, meetingId, Instant.now(), "p-host"));

        // The mail keeps the id of the manual send; the participant without mail gets none.
        JsonNode item = awaitInApp(bellAndPush, recordingId);
        assertThat(item.path("kind").asText()).isEqualTo("transcripts");
        assertThat(item.path("title").asText()).isEqualTo("Meeting summary: Shared summary");
        assertThat(item.path("body").asText()).contains("1 action item", "1 decision");
        assertThat(awaitInApp(mailed, recordingId).path("kind").asText()).isEqualTo("transcripts");
        // (Invited by account, the participants also got the invitation in their bell and browsers.)
        Predicate<NotificationEvents.Requested> summaryPush = r -> "push".equals(r.channel())
                && endpoint.equals(r.params().get("endpoint"))
                && "Meeting summary: Shared summary".equals(r.params().get("title"));
        NotificationEvents.Requested push = requestedWhere(summaryPush, 1).get(0);
        assertThat(push.userId()).isEqualTo(bellAndPush.id());
        assertThat(push.template()).isEqualTo("notice");
        assertThat(push.params()).containsEntry("title", "Meeting summary: Shared summary")
                .containsEntry("body", item.path("body").asText()).containsKey("url");
        assertThat(summaries(absent)).as("never consented").isZero();

        // The host's send afterwards makes the same notifications: the same mail id (the worker's delivery log
        // sends it once), no second in-app notification.
        Answer sent = api.post("/api/v1/recordings/" + recordingId + "/transcript/summary/send", host.token(),
                Map.of());
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.json().path("recipients").asInt()).isEqualTo(2);
        List<NotificationEvents.Requested> mails = requested("transcript-summary-" + recordingId, 2);
        assertThat(mails).extracting(NotificationEvents.Requested::notificationId).containsOnly(
                "transcript-summary-" + recordingId + "-" + mailed.id());
        assertThat(mails).extracting(NotificationEvents.Requested::template).containsOnly("transcript_summary");
        assertThat(requestedWhere(summaryPush, 2))
                .extracting(NotificationEvents.Requested::notificationId).containsOnly(push.notificationId());
        for (Account participant : List.of(mailed, bellAndPush)) {
            assertThat(summaries(participant)).isEqualTo(1);
        }

        // Without share_summary, the end stores the summary and tells nobody.
        String quiet = support.create(host, "participants", List.of(mailed.id()), "title", "Kept summary",
                "settings", Map.of("lobby", false, "join_before_host", true)).path("meeting_id").asText();
        recordWithTranscript(host, quiet, mailed);
        send(new MeetingEvents.Ended(quiet, quiet, Instant.now(), "p-host"));
        awaitStoredSummary(quiet);
        assertThat(summaries(mailed)).isEqualTo(1);
    }

    /** Records the meeting (started and stopped), the consents of {@code consenting}, and three final phrases. */
    private String recordWithTranscript(Account host, String meetingId, Account... consenting) throws Exception {
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String recordingId = started.json().path("recording_id").asText();
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(),
                Map.of("user_id", host.id())).status()).isEqualTo(200);
        APP.<ApiServerApplication>getApplication().jdbi().useHandle(h -> {
            for (Account account : consenting) {
                h.execute("INSERT INTO recording_consents (recording_id, participant_id, user_id, guest, "
                        + "display_name, acknowledged_at) VALUES (?, ?, ?, false, 'Pat', now())", recordingId,
                        "p-" + account.id(), account.id());
            }
        });
        JsonNode recording = api.get("/api/v1/recordings/" + recordingId, host.token()).json();
        Instant from = Instant.parse(recording.path("started_at").asText());
        Instant to = Instant.parse(recording.path("stopped_at").asText());
        send(caption(meetingId, phrase(), "Ann", "the quarterly budget review starts the meeting today", true,
                from, to));
        send(caption(meetingId, phrase(), "Bob", "i will update the budget spreadsheet by friday", true, from, to));
        send(caption(meetingId, phrase(), "Ann", "we decided to move the travel budget to marketing", true, from,
                to));
        awaitTranscript("/api/v1/recordings/" + recordingId + "/transcript", host,
                t -> t.path("segments").size() == 3);
        return recordingId;
    }

    /** How many of the account's in-app notifications are summaries (kind transcripts). */
    private int summaries(Account account) {
        int count = 0;
        for (JsonNode item : api.get("/api/v1/notifications?size=100", account.token()).json().path("items")) {
            count += "transcripts".equals(item.path("kind").asText()) ? 1 : 0;
        }
        return count;
    }

    /** The account's in-app notification linking to the recording, once there. */
    private JsonNode awaitInApp(Account account, String recordingId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode list = null;
        while (System.nanoTime() < deadline) {
            list = api.get("/api/v1/notifications", account.token()).json();
            for (JsonNode item : list.path("items")) {
                if (item.path("url").asText().endsWith("#/recordings/" + recordingId)) {
                    return item;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no in-app notification about recording " + recordingId + ": " + list);
    }

    private static String awaitStoredSummary(String meetingId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String stored = null;
        while (stored == null && System.nanoTime() < deadline) {
            stored = APP.<ApiServerApplication>getApplication().jdbi().withHandle(h -> h.createQuery(
                            "SELECT CAST(summary AS text) FROM transcript_summaries WHERE meeting_id = :m")
                    .bind("m", meetingId).mapTo(String.class).findOne().orElse(null));
            Thread.sleep(200);
        }
        assertThat(stored).as("stored summary of " + meetingId).isNotNull();
        return stored;
    }

    /** A fresh P-256 public key as a browser sends it: the uncompressed point, base64url. */
    private static String userAgentKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        for (int i = 0; i < 2; i++) {
            byte[] unsigned = (i == 0 ? key.getW().getAffineX() : key.getW().getAffineY()).toByteArray();
            int length = Math.min(32, unsigned.length);
            System.arraycopy(unsigned, unsigned.length - length, point, 1 + 32 * i + 32 - length, length);
        }
        return b64(point);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@code notification.requested} events whose id starts with {@code prefix}, once {@code wanted} arrived. */
    private static List<NotificationEvents.Requested> requested(String prefix, int wanted) {
        return requestedWhere(r -> r.notificationId().startsWith(prefix), wanted);
    }

    /** The {@code notification.requested} events that match, once {@code wanted} arrived. */
    private static List<NotificationEvents.Requested> requestedWhere(Predicate<NotificationEvents.Requested> mine,
                                                                     int wanted) {
        List<NotificationEvents.Requested> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApps.urls().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-mails-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.NOTIFICATIONS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (found.size() < wanted && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        if (EventCodec.decode(record.value()).data() instanceof NotificationEvents.Requested r
                                && mine.test(r)) {
                            found.add(r);
                        }
                    } catch (RuntimeException e) {
                        // another test's record
                    }
                }
            }
        }
        assertThat(found).as("notification.requested").hasSize(wanted);
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(int wanted,
                                                                    Predicate<ConsumerRecord<String, byte[]>> mine) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApps.urls().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("tribune.dlq." + GROUP));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (found.size() < wanted && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (mine.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        assertThat(found).as("dead letters").hasSize(wanted);
        return found;
    }

    @Test
    void servesTheMeetingTranscriptAsJsonWebVttSrtAndTextToThoseWhoMaySeeTheMeeting() throws Exception {
        Account host = support.member();
        Account invitee = support.member();
        String meetingId = support.create(host, "participants", List.of(invitee.id())).path("meeting_id").asText();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        List<FixedTranscript.Line> lines = FixedTranscript.lines().subList(0, 3);
        for (FixedTranscript.Line line : lines) {
            Instant start = t0.plusMillis(Math.round(line.startSeconds() * 1000));
            Instant end = t0.plusMillis(Math.round(line.endSeconds() * 1000));
            send(caption(meetingId, phrase(), line.name(), line.text(), true, start, end));
        }
        JsonNode json = awaitTranscript(meetingPath(meetingId), host, t -> t.path("segments").size() == 3);
        assertThat(json.path("meeting_id").asText()).isEqualTo(meetingId);
        assertThat(json.path("recording_id").isNull()).isTrue();
        assertThat(json.path("chapters")).hasSize(1);
        assertThat(json.path("chapters").get(0).path("title").asText()).containsIgnoringCase("budget");
        assertThat(json.path("summary").path("key_points").isArray()).isTrue();

        Answer vtt = api.get(meetingPath(meetingId) + "?format=vtt", invitee.token());
        assertThat(vtt.status()).as(vtt.toString()).isEqualTo(200);
        assertThat(vtt.header("Content-Type")).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("text/vtt");
        assertThat(vtt.header("Content-Disposition")).contains("attachment; filename=\"transcript-" + meetingId
                + ".vtt\"");
        List<String[]> cues = cues(vtt.body(), true);
        assertThat(cues).hasSize(3);
        assertThat(cues.get(0)).containsExactly("1", "00:00:00.000 --> 00:00:04.500",
                "<v Alice>good morning everyone let's start with the quarterly budget review");
        assertThat(cues.get(2)[1]).isEqualTo("00:00:11.500 --> 00:00:17.000");

        Answer srt = api.get(meetingPath(meetingId) + "?format=srt", host.token());
        assertThat(srt.status()).isEqualTo(200);
        assertThat(srt.header("Content-Disposition")).contains("attachment; filename=\"transcript-" + meetingId
                + ".srt\"");
        List<String[]> srtCues = cues(srt.body(), false);
        assertThat(srtCues).extracting(c -> c[0]).containsExactly("1", "2", "3");
        assertThat(srtCues.get(1)).containsExactly("2", "00:00:05,000 --> 00:00:11,000",
                "Bob: the marketing budget is over by twelve percent because of the conference sponsorship");

        Answer text = api.get(meetingPath(meetingId) + "?format=txt", host.token());
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.body()).startsWith("[0:00:00] Alice: good morning").contains("\n[0:00:05] Bob: the marketing");

        MeetingTestSupport.assertError(api.get(meetingPath(meetingId) + "?format=html", host.token()), 400,
                "invalid_request", "format");
        assertThat(api.get(meetingPath(meetingId), support.member().token()).status()).isEqualTo(404);
        assertThat(api.get(meetingPath(meetingId), support.admin().token()).status()).isEqualTo(200);
        assertThat(api.get(meetingPath(meetingId), null).status()).isEqualTo(401);
        assertThat(api.get(meetingPath("bbbbbbbbbbbbbbbbbbbb"), host.token()).status()).isEqualTo(404);
    }

    private static final Pattern TIMING = Pattern.compile("^\\d{2,}:[0-5]\\d:[0-5]\\d[.,]\\d{3} --> "
            + "\\d{2,}:[0-5]\\d:[0-5]\\d[.,]\\d{3}$");

    /** The cue blocks of a WebVTT or SRT body, each [number, timing, text], checked strictly. */
    private static List<String[]> cues(String body, boolean webVtt) {
        if (webVtt) {
            assertThat(body).startsWith("WEBVTT\n\n");
            body = body.substring("WEBVTT\n\n".length());
        }
        List<String[]> cues = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n");
            assertThat(lines).as(block).hasSize(3);
            Matcher timing = TIMING.matcher(lines[1]);
            assertThat(timing.matches()).as(lines[1]).isTrue();
            assertThat(lines[1]).contains(webVtt ? "." : ",");
            cues.add(lines);
        }
        return cues;
    }

    @Test
    void servesTheRecordingsPartOfTheTranscriptWithOffsetsFromItsStartToThoseWhoMayPlayIt() throws Exception {
        Account host = support.member();
        Account participant = support.member();
        String meetingId = support.create(host, "participants", List.of(participant.id()),
                "settings", Map.of("lobby", false, "join_before_host", true)).path("meeting_id").asText();
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String recordingId = started.json().path("recording_id").asText();
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(),
                Map.of("user_id", host.id())).status()).isEqualTo(200);
        JsonNode recording = api.get("/api/v1/recordings/" + recordingId, host.token()).json();
        Instant startedAt = Instant.parse(recording.path("started_at").asText());
        Instant stoppedAt = Instant.parse(recording.path("stopped_at").asText());
        String word = "quillbrook";

        String before = phrase();
        String inside = phrase();
        String after = phrase();
        send(caption(meetingId, before, "Ann", "said before the recording", true, startedAt.minusSeconds(30),
                startedAt.minusSeconds(28)));
        // Start and stop came a few milliseconds apart: the phrase starts halfway and runs past the stop.
        Instant insideStart = startedAt.plus(Duration.between(startedAt, stoppedAt).dividedBy(2));
        long insideOffset = Duration.between(startedAt, insideStart).toMillis();
        send(caption(meetingId, inside, "Ann", "the " + word + " plan is ready", true, insideStart,
                stoppedAt.plusSeconds(1)));
        send(caption(meetingId, after, "Ann", "said after the recording", true, stoppedAt.plusSeconds(60),
                stoppedAt.plusSeconds(62)));
        awaitTranscript(meetingPath(meetingId), host, t -> phrases(t).size() == 3);

        String path = "/api/v1/recordings/" + recordingId + "/transcript";
        JsonNode transcript = api.get(path, host.token()).json();
        assertThat(transcript.path("recording_id").asText()).isEqualTo(recordingId);
        assertThat(phrases(transcript)).containsExactly(inside);
        assertThat(transcript.path("segments").get(0).path("offset_ms").asLong()).isEqualTo(insideOffset);
        Answer vtt = api.get(path + "?format=vtt", host.token());
        assertThat(cues(vtt.body(), true).get(0)[1]).startsWith(String.format("00:00:00.%03d --> ", insideOffset));

        // The participant plays it (and reads its transcript) only once the host shares it.
        assertThat(api.get(path, participant.token()).status()).isEqualTo(404);
        assertThat(api.send("PUT", "/api/v1/recordings/" + recordingId + "/sharing", host.token(),
                Map.of("participants", true)).status()).isEqualTo(200);
        assertThat(api.get(path, participant.token()).status()).isEqualTo(200);
        assertThat(api.get(path, support.member().token()).status()).isEqualTo(404);

        // Search links the hit to the recording at its offset.
        JsonNode hits = awaitSearch(host, word, 1);
        assertThat(hits.path("items").get(0).path("recording_id").asText()).isEqualTo(recordingId);
        assertThat(hits.path("items").get(0).path("offset_ms").asLong()).isEqualTo(insideOffset);
    }

    private JsonNode awaitSearch(Account viewer, String query, int total) throws Exception {
        String path = "/api/v1/transcripts/search?q=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Answer answer = null;
        while (System.nanoTime() < deadline) {
            answer = api.get(path, viewer.token());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            if (answer.json().path("total").asLong() == total) {
                return answer.json();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("search " + query + " never found " + total + "; last: " + answer);
    }

    private JsonNode search(Account viewer, String query) {
        Answer answer = api.get("/api/v1/transcripts/search?q="
                + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8), viewer.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void searchFindsMatchesInTheMeetingsTheCallerMayReadOnlyAsPlainTextParts() throws Exception {
        Account host = support.member();
        Account invitee = support.member();
        Account otherHost = support.member();
        String word = "zorblat" + UUID.randomUUID().toString().replaceAll("[^a-f]", "");
        String mine = support.create(host, "participants", List.of(invitee.id()), "title", "Budget review")
                .path("meeting_id").asText();
        String theirs = support.create(otherHost, "title", "Other team").path("meeting_id").asText();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(120);
        send(caption(mine, phrase(), "Ann", "intro without the word", true, t0, t0.plusSeconds(2)));
        send(caption(mine, phrase(), "Bob", "the " + word + " budget is finally ready", true,
                t0.plusSeconds(3), t0.plusSeconds(6)));
        send(caption(theirs, phrase(), "Cy", word + " planning for next year", true, t0, t0.plusSeconds(2)));

        JsonNode admin = awaitSearch(support.admin(), word, 2);
        JsonNode hostHits = search(host, word);
        assertThat(hostHits.path("total").asLong()).isEqualTo(1);
        JsonNode hit = hostHits.path("items").get(0);
        assertThat(hit.path("meeting_id").asText()).isEqualTo(mine);
        assertThat(hit.path("meeting_title").asText()).isEqualTo("Budget review");
        assertThat(hit.path("name").asText()).isEqualTo("Bob");
        assertThat(hit.path("offset_ms").asLong()).isEqualTo(3000);
        assertThat(hit.path("recording_id").isNull()).isTrue();
        assertThat(hit.path("segment_id").asText()).isNotBlank();
        List<String> matched = new ArrayList<>();
        StringBuilder whole = new StringBuilder();
        hit.path("parts").forEach(part -> {
            whole.append(part.path("text").asText());
            if (part.path("match").asBoolean()) {
                matched.add(part.path("text").asText());
            }
        });
        assertThat(matched).containsExactly(word);
        assertThat(whole.toString()).contains("the " + word + " budget").doesNotContain("\u0001");

        assertThat(search(invitee, word).path("total").asLong()).isEqualTo(1);
        assertThat(search(otherHost, word).path("items").get(0).path("meeting_id").asText()).isEqualTo(theirs);
        assertThat(search(support.member(), word).path("total").asLong()).isZero();
        assertThat(admin.path("items")).hasSize(2);
        assertThat(search(support.admin(), word + " -budget").path("items")).singleElement()
                .satisfies(only -> assertThat(only.path("meeting_id").asText()).isEqualTo(theirs));
        assertThat(search(support.admin(), "\"" + word + " planning\"").path("total").asLong()).isEqualTo(1);

        JsonNode paged = api.get("/api/v1/transcripts/search?q=" + word + "&page=2&size=1",
                support.admin().token()).json();
        assertThat(paged.path("items")).hasSize(1);
        assertThat(paged.path("page").asInt()).isEqualTo(2);
        assertThat(paged.path("total").asLong()).isEqualTo(2);
        MeetingTestSupport.assertError(api.get("/api/v1/transcripts/search?q=%20", host.token()), 400,
                "invalid_request", "q");
        assertThat(api.get("/api/v1/transcripts/search?q=" + word, null).status()).isEqualTo(401);
    }

    @Test
    void storesTheSummaryWhenTheMeetingEnds() throws Exception {
        Account host = support.member();
        String meetingId = support.create(host).path("meeting_id").asText();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));
        List<FixedTranscript.Line> lines = FixedTranscript.lines();
        for (FixedTranscript.Line line : lines) {
            send(caption(meetingId, phrase(), line.name(), line.text(), true,
                    t0.plusMillis(Math.round(line.startSeconds() * 1000)),
                    t0.plusMillis(Math.round(line.endSeconds() * 1000))));
        }
        JsonNode transcript = awaitTranscript(meetingPath(meetingId), host,
                t -> t.path("segments").size() == lines.size());
        assertThat(transcript.path("chapters")).extracting(c -> c.path("offset_ms").asLong())
                .containsExactly(0L, 82_000L, 165_000L);

        send(new MeetingEvents.Ended(meetingId, meetingId, Instant.now(), "p-host"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String stored = null;
        while (stored == null && System.nanoTime() < deadline) {
            stored = APP.<ApiServerApplication>getApplication().jdbi().withHandle(h -> h.createQuery(
                    "SELECT CAST(summary AS text) FROM transcript_summaries WHERE meeting_id = :m")
                    .bind("m", meetingId).mapTo(String.class).findOne().orElse(null));
            Thread.sleep(200);
        }
        assertThat(stored).as("stored summary").contains("i will update the budget spreadsheet by friday");
        JsonNode summary = api.get(meetingPath(meetingId), host.token()).json().path("summary");
        assertThat(summary.path("action_items")).extracting(i -> i.path("text").asText())
                .contains("i will update the budget spreadsheet by friday");
        assertThat(summary.path("action_items").get(0).path("offset_ms").asLong()).isEqualTo(38_500);
        assertThat(summary.path("action_items").get(0).path("name").asText()).isEqualTo("Bob");
        assertThat(summary.path("decisions")).extracting(i -> i.path("text").asText())
                .contains("we agreed that every candidate meets two engineers from the platform team");
        assertThat(summary.path("key_points").size()).isBetween(2, 7);
    }
}
