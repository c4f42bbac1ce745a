package io.tribune.api.resources;

import static io.tribune.api.resources.MeetingTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.RecordingEvents;
import io.tribune.events.Topics;
import io.tribune.events.TranscriptionEvents;
import io.tribune.platform.PlatformExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * Transcribing a recording on demand over HTTP against the real platform: who may ask (managers and admins; 403 for
 * those who only play it, 404 for the rest), 409 before the files are stored and while it is being transcribed,
 * {@code transcription.requested} on Kafka through the outbox with the recording's audio files and the speaker live
 * captions knew for each track, and {@code transcript_status} following the worker's {@code transcript.ready} and
 * {@code transcript.failed}.
 */
@ExtendWith(PlatformExtension.class)
class RecordingTranscribeIT {

    private static final String GROUP = "it-transcribe-" + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(ApiServerApplication.class,
            ConfigOverride.config("transcripts.consumerGroup", GROUP));

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

    private static void send(EventData data) throws Exception {
        Event event = Event.of(data, Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }

    private Answer transcribe(Account caller, String recordingId) {
        return api.post("/api/v1/recordings/" + recordingId + "/transcribe", caller.token(), Map.of());
    }

    private JsonNode await(Account viewer, String path, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Answer answer = null;
        while (System.nanoTime() < deadline) {
            answer = api.get(path, viewer.token());
            if (answer.status() == 200 && done.test(answer.json())) {
                return answer.json();
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError(path + " never became as expected; last: " + answer);
    }

    @Test
    void managersAskForATranscriptThroughTheOutboxAndItsStatusFollowsTheWorker() throws Exception {
        Account host = support.member();
        Account coHost = support.member();
        Account participant = support.member();
        Account stranger = support.member();
        String meetingId = support.create(host, "participants", List.of(
                        Map.of("user_id", coHost.id(), "role", "co_host"),
                        Map.of("user_id", participant.id(), "role", "participant")),
                "title", "Transcribe me", "settings", Map.of("lobby", false, "join_before_host", true))
                .path("meeting_id").asText();
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String recordingId = started.json().path("recording_id").asText();
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(),
                Map.of("user_id", host.id())).status()).isEqualTo(200);
        String recordingPath = "/api/v1/recordings/" + recordingId;
        assertThat(api.get(recordingPath, host.token()).json().path("transcript_status").asText()).isEqualTo("none");

        // Before the archive stored the files there is nothing to transcribe.
        assertError(transcribe(host, recordingId), 409, "recording_not_ready", null);

        // The archive stored a video track, two audio tracks and the composed MP4; live captions named the speaker
        // of the first audio track. The second joined 7.5 s into the recording (the archive says when its first
        // frame arrived); the first comes without a start, as from an archive before track start times.
        Instant recordingStart = Instant.parse(api.get(recordingPath, host.token()).json().path("started_at")
                .asText());
        Instant lateStart = recordingStart.plusMillis(7_500);
        String audioKey = "recordings/" + recordingId + "/tracks/a1.webm";
        String lateKey = "recordings/" + recordingId + "/tracks/a2.webm";
        send(new RecordingEvents.Ready(meetingId, recordingId, List.of(
                new RecordingEvents.StoredFile("track", "v1", "recordings/" + recordingId + "/tracks/v1.webm",
                        "video/webm", 1000, "ab".repeat(32), recordingStart),
                new RecordingEvents.StoredFile("track", "a1", audioKey, "audio/webm", 500, "cd".repeat(32)),
                new RecordingEvents.StoredFile("track", "a2", lateKey, "audio/webm", 400, "12".repeat(32),
                        lateStart),
                new RecordingEvents.StoredFile("composed", null, "recordings/" + recordingId + "/view/r.mp4",
                        "video/mp4", 5000, "ef".repeat(32))), 61_000, 6500, "ef".repeat(32)));
        JsonNode ready = await(host, recordingPath, r -> r.path("status").asText().equals("ready"));
        Instant startedAt = Instant.parse(ready.path("started_at").asText());
        send(new CaptionEvents.Caption(meetingId, "p-ann", "Ann", "a1", "a1-1", "said live", true, 0, 1000,
                startedAt.minusSeconds(5), startedAt.minusSeconds(4)));
        await(host, "/api/v1/meetings/" + meetingId + "/transcript", t -> t.path("segments").size() == 1);

        // Who may ask: not those who only play it (403), nobody else (404).
        assertError(transcribe(stranger, recordingId), 404, "recording_not_found", null);
        assertError(transcribe(participant, recordingId), 404, "recording_not_found", null);
        assertThat(api.send("PUT", recordingPath + "/sharing", host.token(), Map.of("participants", true))
                .status()).isEqualTo(200);
        assertError(transcribe(participant, recordingId), 403, "forbidden", null);
        assertError(transcribe(stranger, "no-such-recording"), 404, "recording_not_found", null);

        // A co-host asks: 202 with the status, and a second ask meanwhile is a conflict.
        Answer asked = transcribe(coHost, recordingId);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        assertThat(asked.json().path("recording_id").asText()).isEqualTo(recordingId);
        assertThat(asked.json().path("transcript_status").asText()).isEqualTo("transcribing");
        assertThat(api.get(recordingPath, participant.token()).json().path("transcript_status").asText())
                .isEqualTo("transcribing");
        assertError(transcribe(host, recordingId), 409, "already_transcribing", null);

        // The request went out through the outbox: the audio files only, with the speaker live captions knew, each
        // from its track's start (the recording's for the file reported without one).
        TranscriptionEvents.Requested request = requested(recordingId);
        assertThat(request.meetingId()).isEqualTo(meetingId);
        assertThat(request.requestedBy()).isEqualTo(coHost.id());
        assertThat(request.files()).containsExactly(
                new TranscriptionEvents.AudioFile(audioKey, "a1", "p-ann", "Ann", startedAt),
                new TranscriptionEvents.AudioFile(lateKey, "a2", null, null, lateStart));

        // The worker's captions become the transcript, and its transcript.ready ends the status.
        String phrase = recordingId + "-a1-1";
        send(new CaptionEvents.Caption(meetingId, "p-ann", "Ann", "a1", phrase, "transcribed from the file", true,
                200, 1500, startedAt.plusMillis(200), startedAt.plusMillis(1500)));
        send(new CaptionEvents.TranscriptReady(meetingId, recordingId, null, 1, "en"));
        await(host, recordingPath, r -> r.path("transcript_status").asText().equals("ready"));
        JsonNode transcript = api.get(recordingPath + "/transcript", host.token()).json();
        assertThat(transcript.path("segments").get(0).path("phrase_id").asText()).isEqualTo(phrase);
        assertThat(transcript.path("segments").get(0).path("name").asText()).isEqualTo("Ann");

        // An admin asks again: the earlier on-demand phrases go (the worker's new ones replace them), live ones
        // stay; then the worker fails and says why.
        Answer again = transcribe(support.admin(), recordingId);
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        JsonNode meetingTranscript = api.get("/api/v1/meetings/" + meetingId + "/transcript", host.token()).json();
        List<String> phrases = new ArrayList<>();
        meetingTranscript.path("segments").forEach(s -> phrases.add(s.path("phrase_id").asText()));
        assertThat(phrases).containsExactly("a1-1");
        send(new CaptionEvents.TranscriptFailed(meetingId, recordingId, audioKey + ": not audio"));
        JsonNode failed = await(host, recordingPath, r -> r.path("transcript_status").asText().equals("failed"));
        assertThat(failed.path("transcript_error").asText()).contains("not audio");
        assertThat(transcribe(host, recordingId).status()).isEqualTo(202);

        // A request nobody answered for half a day is taken as lost: asking again is allowed.
        assertError(transcribe(host, recordingId), 409, "already_transcribing", null);
        APP.<ApiServerApplication>getApplication().jdbi().useHandle(h -> h.execute("UPDATE recordings SET "
                + "transcript_requested_at = now() - interval '13 hours' WHERE id = ?", recordingId));
        assertThat(transcribe(host, recordingId).status()).isEqualTo(202);
    }

    @Test
    void aRecordingWithoutAudioCannotBeTranscribed() throws Exception {
        Account host = support.member();
        String meetingId = support.create(host, "title", "Silent film", "settings",
                Map.of("lobby", false, "join_before_host", true)).path("meeting_id").asText();
        String recordingId = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id())).json().path("recording_id").asText();
        api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(), Map.of("user_id", host.id()));
        send(new RecordingEvents.Ready(meetingId, recordingId, List.of(new RecordingEvents.StoredFile("track", "v1",
                "recordings/" + recordingId + "/tracks/v1.webm", "video/webm", 1000, "ab".repeat(32))), 1000, 1000,
                "ab".repeat(32)));
        await(host, "/api/v1/recordings/" + recordingId, r -> r.path("status").asText().equals("ready"));

        assertError(transcribe(host, recordingId), 409, "no_audio", null);
        assertThat(api.get("/api/v1/recordings/" + recordingId, host.token()).json().path("transcript_status")
                .asText()).isEqualTo("none");
    }

    /** The {@code transcription.requested} of {@code recordingId} on Kafka. */
    private static TranscriptionEvents.Requested requested(String recordingId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApps.urls().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-requests-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TRANSCRIPTIONS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (EventCodec.decode(record.value()).data() instanceof TranscriptionEvents.Requested r
                            && r.recordingId().equals(recordingId)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no transcription.requested for " + recordingId);
    }
}
