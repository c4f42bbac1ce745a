package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.CdnTestKeys;
import io.tribune.api.TestApps;
import io.tribune.api.UserEventsRecorder;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.common.cdn.CloudFrontVerifier;
import io.tribune.common.cdn.CloudFrontVerifier.Verdict;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.RecordingEvents;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tribune.api.resources.MeetingTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recording playback, downloads, sharing, the audit trail and deletion over HTTP against the real platform: signed
 * URLs checked with the verifier the origin runs, who may play what, every view and download in the audit log (and
 * its filters), the retention sweep (expired and not held only) and erasure sending {@code recording.deleted} to
 * Kafka through the outbox.
 */
@ExtendWith(PlatformExtension.class)
class RecordingPlaybackIT {

    private static final KeyPair CDN_KEYS = CdnTestKeys.rsaKeys();
    private static final String KEY_ID = "KTESTRECORDINGS";
    private static final String BASE = "https://cdn.recordings.test";

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(ApiServerApplication.class,
            ConfigOverride.config("meetings.hlsBaseUrl", BASE),
            ConfigOverride.config("meetings.playback.keyPairId", KEY_ID),
            ConfigOverride.config("meetings.playback.privateKeyFile", CdnTestKeys.privateKeyFile(CDN_KEYS).toString()),
            ConfigOverride.config("meetings.playback.ttl", "10 minutes"),
            ConfigOverride.config("recordings.sweepInterval", "1 second"));

    private static final CloudFrontVerifier VERIFIER = new CloudFrontVerifier(Map.of(KEY_ID, CDN_KEYS.getPublic()),
            Clock.systemUTC());

    MeetingTestSupport support;
    ApiClient api;

    @BeforeEach
    void newClient() {
        api = ApiClient.local(APP.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    /** A recorded meeting's people and one ready recording with a composed MP4, poster, thumbnails and a track. */
    record Cast(Account host, Account coHost, Account participant, Account stranger, Account admin,
                String meetingId, String recordingId) {
    }

    private Cast recorded() throws Exception {
        Account host = support.member();
        Account coHost = support.member();
        Account participant = support.member();
        String meetingId = support.create(host, "participants", List.of(
                        Map.of("user_id", coHost.id(), "role", "co_host"),
                        Map.of("user_id", participant.id(), "role", "participant")),
                "settings", Map.of("lobby", false, "join_before_host", true)).path("meeting_id").asText();
        String recordingId = startAndStop(host, meetingId);
        ready(meetingId, recordingId, true);
        awaitStatus(host, recordingId, "ready");
        return new Cast(host, coHost, participant, support.member(), support.admin(), meetingId, recordingId);
    }

    private String startAndStop(Account host, String meetingId) {
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(),
                Map.of("user_id", host.id())).status()).isEqualTo(200);
        return started.json().path("recording_id").asText();
    }

    private static List<String> keys(String recordingId, boolean composed) {
        String p = "recordings/" + recordingId + "/";
        return composed ? List.of(p + "tracks/t1.webm", p + "view/recording.mp4", p + "view/poster.jpg",
                p + "view/thumbnails.jpg", p + "view/thumbnails.vtt") : List.of(p + "tracks/t1.webm");
    }

    private static void ready(String meetingId, String recordingId, boolean composed) throws Exception {
        List<String> keys = keys(recordingId, composed);
        List<RecordingEvents.StoredFile> files = new java.util.ArrayList<>();
        files.add(new RecordingEvents.StoredFile("track", "t1", keys.get(0), "video/webm", 1000, "ab".repeat(32)));
        if (composed) {
            files.add(new RecordingEvents.StoredFile("composed", null, keys.get(1), "video/mp4", 5000,
                    "cd".repeat(32)));
            files.add(new RecordingEvents.StoredFile("poster", null, keys.get(2), "image/jpeg", 300, "ee".repeat(32)));
            files.add(new RecordingEvents.StoredFile("thumbnails", null, keys.get(3), "image/jpeg", 900,
                    "ff".repeat(32)));
            files.add(new RecordingEvents.StoredFile("thumbnails_vtt", null, keys.get(4), "text/vtt", 90,
                    "aa".repeat(32)));
        }
        Event event = Event.of(new RecordingEvents.Ready(meetingId, recordingId, files, 61_500, 5000,
                "cd".repeat(32)), Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApps.urls().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG,
                "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private JsonNode awaitStatus(Account viewer, String recordingId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Answer answer = api.get("/api/v1/recordings/" + recordingId, viewer.token());
            last = answer.json();
            if (last.path("status").asText().equals(status)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("recording " + recordingId + " never became " + status + ": " + last);
    }

    private Answer playback(Account account, String recordingId) {
        return api.post("/api/v1/recordings/" + recordingId + "/playback", account.token(), Map.of());
    }

    private Answer download(Account account, String recordingId, String file) {
        return api.post("/api/v1/recordings/" + recordingId + "/download", account.token(), Map.of("file", file));
    }

    private JsonNode auditLog(Account admin, String query) {
        Answer answer = api.get("/api/v1/admin/audit-log?" + query, admin.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void theHostGetsSignedUrlsThatCoverOnlyThisRecordingsViewAndEachViewIsAudited() throws Exception {
        Cast cast = recorded();
        String id = cast.recordingId();
        Answer answer = playback(cast.host(), id);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode play = answer.json();
        assertThat(play.path("recording_id").asText()).isEqualTo(id);
        String query = play.path("signed_query").asText();
        assertThat(query).contains("Policy=", "Signature=", "Key-Pair-Id=" + KEY_ID);
        String view = BASE + "/recordings/" + id + "/view/";
        assertThat(play.path("video_url").asText()).isEqualTo(view + "recording.mp4?" + query);
        assertThat(play.path("poster_url").asText()).isEqualTo(view + "poster.jpg?" + query);
        assertThat(play.path("thumbnails_vtt_url").asText()).isEqualTo(view + "thumbnails.vtt?" + query);
        Instant expires = Instant.parse(play.path("expires_at").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(500), Instant.now().plusSeconds(700));

        // What the origin will decide: the view folder opens, the sprite too; other paths and recordings do not.
        assertThat(VERIFIER.verifyUrl(play.path("video_url").asText(), "127.0.0.1")).isEqualTo(Verdict.OK);
        assertThat(VERIFIER.verifyUrl(view + "thumbnails.jpg?" + query, "127.0.0.1")).isEqualTo(Verdict.OK);
        assertThat(VERIFIER.verifyUrl(BASE + "/recordings/" + id + "/tracks/t1.webm?" + query, "127.0.0.1"))
                .isNotEqualTo(Verdict.OK);
        assertThat(VERIFIER.verifyUrl(BASE + "/recordings/other/view/recording.mp4?" + query, "127.0.0.1"))
                .isNotEqualTo(Verdict.OK);
        assertThat(VERIFIER.verifyUrl(view + "recording.mp4", "127.0.0.1")).isNotEqualTo(Verdict.OK);

        // Downloads: one file's URL each, the attachment flag signed in.
        Answer track = download(cast.coHost(), id, "t1");
        assertThat(track.status()).as(track.toString()).isEqualTo(200);
        assertThat(track.json().path("file_name").asText()).isEqualTo("t1.webm");
        assertThat(track.json().path("content_type").asText()).isEqualTo("video/webm");
        assertThat(track.json().path("size_bytes").asLong()).isEqualTo(1000);
        String trackUrl = track.json().path("url").asText();
        assertThat(trackUrl).startsWith(BASE + "/recordings/" + id + "/tracks/t1.webm?download=1&");
        assertThat(VERIFIER.verifyUrl(trackUrl, "127.0.0.1")).isEqualTo(Verdict.OK);
        assertThat(VERIFIER.verifyUrl(trackUrl.replace("t1.webm", "t2.webm"), "127.0.0.1"))
                .isNotEqualTo(Verdict.OK);
        assertError(download(cast.host(), id, "t9"), 404, "recording_file_not_found", "file");
        assertError(api.post("/api/v1/recordings/" + id + "/download", cast.host().token(), Map.of()), 400,
                "invalid_request", "file");

        // Who watched what, and when: filters by action prefix and target.
        JsonNode views = auditLog(cast.admin(), "action=recording.view&target_id=" + id);
        assertThat(views.path("total").asLong()).isEqualTo(1);
        JsonNode entry = views.path("items").get(0);
        assertThat(entry.path("actor_id").asText()).isEqualTo(cast.host().id());
        assertThat(entry.path("target_id").asText()).isEqualTo(id);
        assertThat(entry.path("details").path("object_key").asText()).isEqualTo("recordings/" + id
                + "/view/recording.mp4");
        assertThat(entry.path("created_at").asText()).isNotBlank();
        JsonNode all = auditLog(cast.admin(), "action=recording.&target_id=" + id);
        assertThat(all.path("items").findValuesAsText("action")).containsExactly("recording.download",
                "recording.view");
        assertThat(all.path("items").get(0).path("details").path("file").asText()).isEqualTo("t1");
        assertThat(auditLog(cast.admin(), "action=recording.download&target_id=nothing").path("total").asLong())
                .isZero();
        assertThat(api.get("/api/v1/admin/audit-log?action=recording.", cast.host().token()).status())
                .isEqualTo(403);
    }

    @Test
    void participantsPlayOnlyOnceSharedAndNeverManage() throws Exception {
        Cast cast = recorded();
        String id = cast.recordingId();
        JsonNode hostView = api.get("/api/v1/recordings/" + id, cast.host().token()).json();
        assertThat(hostView.path("shared_with_participants").asBoolean()).isFalse();
        assertThat(hostView.path("can_manage").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/recordings/" + id, cast.coHost().token()).json().path("can_manage").asBoolean())
                .isTrue();

        assertError(playback(cast.participant(), id), 404, "recording_not_found", "recording_id");
        assertError(playback(cast.stranger(), id), 404, "recording_not_found", "recording_id");
        assertError(api.send("PUT", "/api/v1/recordings/" + id + "/sharing", cast.participant().token(),
                Map.of("participants", true)), 404, "recording_not_found", "recording_id");
        assertError(api.send("PUT", "/api/v1/recordings/" + id + "/sharing", cast.host().token(), Map.of()), 400,
                "invalid_request", "participants");

        Answer shared = api.send("PUT", "/api/v1/recordings/" + id + "/sharing", cast.coHost().token(),
                Map.of("participants", true));
        assertThat(shared.status()).as(shared.toString()).isEqualTo(200);
        assertThat(shared.json().path("shared_with_participants").asBoolean()).isTrue();
        assertThat(shared.json().path("can_manage").asBoolean()).isTrue();

        JsonNode participantView = api.get("/api/v1/recordings/" + id, cast.participant().token()).json();
        assertThat(participantView.path("can_manage").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/recordings?meeting_id=" + cast.meetingId(), cast.participant().token()).json()
                .path("items").findValuesAsText("recording_id")).containsExactly(id);
        Answer watched = playback(cast.participant(), id);
        assertThat(watched.status()).as(watched.toString()).isEqualTo(200);
        assertThat(VERIFIER.verifyUrl(watched.json().path("video_url").asText(), "127.0.0.1"))
                .isEqualTo(Verdict.OK);
        assertThat(download(cast.participant(), id, "composed").status()).isEqualTo(200);
        assertError(download(cast.participant(), id, "t1"), 403, "forbidden", "recording_id");
        assertError(api.delete("/api/v1/recordings/" + id, cast.participant().token()), 403, "forbidden", "recording_id");
        assertError(api.send("PUT", "/api/v1/recordings/" + id + "/sharing", cast.participant().token(),
                Map.of("participants", false)), 403, "forbidden", "recording_id");
        // Strangers still see nothing.
        assertError(playback(cast.stranger(), id), 404, "recording_not_found", "recording_id");

        assertThat(api.send("PUT", "/api/v1/recordings/" + id + "/sharing", cast.host().token(),
                Map.of("participants", false)).status()).isEqualTo(200);
        assertError(playback(cast.participant(), id), 404, "recording_not_found", "recording_id");
        assertThat(auditLog(cast.admin(), "action=recording.view&target_id=" + id).path("items")
                .findValuesAsText("actor_id")).containsExactly(cast.participant().id());
    }

    @Test
    void aRecordingWithoutAComposedVideoIsNotPlayable() throws Exception {
        Account host = support.member();
        String meetingId = support.create(host, "settings", Map.of("lobby", false, "join_before_host", true))
                .path("meeting_id").asText();
        String id = startAndStop(host, meetingId);
        assertError(playback(host, id), 404, "recording_not_playable", "recording_id");
        ready(meetingId, id, false);
        awaitStatus(host, id, "ready");
        assertError(playback(host, id), 404, "recording_not_playable", "recording_id");
        assertThat(download(host, id, "t1").status()).isEqualTo(200);
    }

    @Test
    void aMeetingsOwnRetentionOverridesTheDeploymentsDefault() {
        Account host = support.member();
        assertError(api.post("/api/v1/meetings", host.token(), MeetingTestSupport.meeting(host,
                MeetingTestSupport.freeSlot(), "settings", Map.of("recording_retention_days", 4000))), 400,
                "validation_failed", "settings.recording_retention_days");
        JsonNode meeting = support.create(host, "settings", Map.of("lobby", false, "join_before_host", true,
                "recording_retention_days", 3));
        assertThat(meeting.path("settings").path("recording_retention_days").asInt()).isEqualTo(3);
        JsonNode recording = api.get("/api/v1/recordings/" + startAndStop(host, meeting.path("meeting_id").asText()),
                host.token()).json();
        assertThat(Duration.between(Instant.parse(recording.path("started_at").asText()),
                Instant.parse(recording.path("retention_until").asText()))).isEqualTo(Duration.ofDays(3));

        String usual = support.create(host, "settings", Map.of("lobby", false, "join_before_host", true))
                .path("meeting_id").asText();
        JsonNode other = api.get("/api/v1/recordings/" + startAndStop(host, usual), host.token()).json();
        assertThat(Duration.between(Instant.parse(other.path("started_at").asText()),
                Instant.parse(other.path("retention_until").asText()))).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void deletionRetentionAndErasureSendRecordingDeletedAndLegalHoldWins() throws Exception {
        Cast cast = recorded();
        String deleted = cast.recordingId();
        String expired = startAndStop(cast.host(), cast.meetingId());
        String held = startAndStop(cast.host(), cast.meetingId());
        String kept = startAndStop(cast.host(), cast.meetingId());
        ready(cast.meetingId(), expired, true);
        awaitStatus(cast.host(), expired, "ready");
        assertThat(api.send("PUT", "/api/v1/recordings/" + held + "/legal_hold", cast.admin().token(),
                Map.of("legal_hold", true)).status()).isEqualTo(200);

        try (UserEventsRecorder events = UserEventsRecorder.start(TestApps.urls().kafkaBootstrap(),
                Topics.RECORDINGS)) {
            // A co-host deletes: the archive is told which objects to remove.
            assertThat(api.delete("/api/v1/recordings/" + deleted, cast.coHost().token()).status()).isEqualTo(204);
            RecordingEvents.Deleted byHand = events.await(RecordingEvents.Deleted.class,
                    e -> e.recordingId().equals(deleted), Duration.ofSeconds(60));
            assertThat(byHand.objectKeys()).containsExactlyInAnyOrderElementsOf(keys(deleted, true));
            assertThat(byHand.prefix()).isEqualTo("recordings/" + deleted + "/");
            assertThat(byHand.reason()).isEqualTo("deleted");
            assertThat(byHand.meetingId()).isEqualTo(cast.meetingId());
            assertError(playback(cast.host(), deleted), 404, "recording_not_found", "recording_id");

            // Past retention: the sweep (every second here) deletes the expired one, never the held one.
            APP.<ApiServerApplication>getApplication().jdbi().useHandle(handle -> handle.createUpdate(
                            "UPDATE recordings SET retention_until = now() - interval '1 day' WHERE id IN (<ids>)")
                    .bindList("ids", List.of(expired, held)).execute());
            RecordingEvents.Deleted swept = events.await(RecordingEvents.Deleted.class,
                    e -> e.recordingId().equals(expired), Duration.ofSeconds(60));
            assertThat(swept.reason()).isEqualTo("retention");
            assertThat(swept.objectKeys()).containsExactlyInAnyOrderElementsOf(keys(expired, true));
            assertError(api.get("/api/v1/recordings/" + expired, cast.host().token()), 404, "recording_not_found",
                    "recording_id");
            JsonNode sweptAudit = auditLog(cast.admin(), "action=recording.deleted&target_id=" + expired);
            assertThat(sweptAudit.path("items").get(0).path("actor_id").isNull()).isTrue();
            assertThat(sweptAudit.path("items").get(0).path("details").path("reason").asText())
                    .isEqualTo("retention");
            // Several sweeps have run since the update (1 s apart): the held one is still there.
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < waitUntil) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertThat(api.get("/api/v1/recordings/" + held, cast.host().token()).json().path("status").asText())
                    .isEqualTo("processing");
            assertThat(api.get("/api/v1/recordings/" + kept, cast.host().token()).status()).isEqualTo(200);

            // The host's account is erased: their recordings go too, except the one under legal hold.
            assertThat(api.delete("/api/v1/users/" + cast.host().id(), cast.host().token()).status()).isEqualTo(204);
            RecordingEvents.Deleted erased = events.await(RecordingEvents.Deleted.class,
                    e -> e.recordingId().equals(kept), Duration.ofSeconds(60));
            assertThat(erased.reason()).isEqualTo("account_erased");
            assertThat(api.get("/api/v1/recordings/" + held, cast.admin().token()).json().path("status").asText())
                    .isEqualTo("processing");
            assertThat(events.all(RecordingEvents.Deleted.class)).noneMatch(e -> e.recordingId().equals(held));
        }
    }
}
