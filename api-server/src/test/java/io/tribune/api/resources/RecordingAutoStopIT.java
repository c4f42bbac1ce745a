package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.ChannelClient;
import io.tribune.api.TestApps;
import io.tribune.api.UserEventsRecorder;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.events.MediaTaps;
import io.tribune.events.RecordingEvents;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recording stops by itself once everyone has left its meeting and nobody came back within the grace: on two
 * api-server instances (people connected to either; exactly one stop, one event, one audit entry), with someone
 * returning within the grace (it keeps running), and after the instance that saw the last departure went away
 * before the grace was over (another instance's sweep stops it).
 */
@ExtendWith(PlatformExtension.class)
class RecordingAutoStopIT {

    private static final Duration GRACE = Duration.ofSeconds(6);
    private static final ConfigOverride[] AUTO_STOP = {
        ConfigOverride.config("recordings.autoStopGrace", GRACE.toSeconds() + " seconds"),
        ConfigOverride.config("recordings.autoStopSweepInterval", "1 second")};
    /** Generous for a loaded 2-core machine: the stop is due GRACE after the departure. */
    private static final Duration STOP_TIMEOUT = GRACE.plusSeconds(45);

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> FIRST =
            TestApps.onPlatform(ApiServerApplication.class, AUTO_STOP);

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> SECOND =
            TestApps.onPlatform(ApiServerApplication.class, AUTO_STOP);

    private static RedissonClient redis;
    private static final ObjectMapper JSON = new ObjectMapper();

    private MeetingTestSupport support;
    private ApiClient api;

    @BeforeAll
    static void connectRedis() {
        redis = TestApps.redis();
    }

    @AfterAll
    static void closeRedis() {
        redis.shutdown();
    }

    @BeforeEach
    void newClient() {
        api = ApiClient.local(FIRST.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    @Test
    void stopsOnceEveryoneLeftAndTheGraceIsOverExactlyAsAHostsStop() throws Exception {
        Account host = support.member();
        Account guest = support.member();
        Account admin = support.admin();
        String meetingId = meeting(host, guest);
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        BlockingQueue<String> announced = new LinkedBlockingQueue<>();
        RTopic control = redis.getTopic(RedisKeys.sfuControl(meetingId), StringCodec.INSTANCE);
        RTopic channelTopic = redis.getTopic(RedisKeys.channelTopic(meetingId), StringCodec.INSTANCE);
        int controlListener = control.addListener(String.class, (channel, message) -> commands.add(message));
        int channelListener = channelTopic.addListener(String.class, (channel, message) -> announced.add(message));
        try (UserEventsRecorder events = UserEventsRecorder.start(TestApps.urls().kafkaBootstrap(),
                Topics.RECORDINGS)) {
            ChannelClient hostChannel = connect(FIRST, host, meetingId);
            ChannelClient guestChannel = connect(SECOND, guest, meetingId);
            String recordingId = start(host, meetingId);
            hostChannel.await("recording.started");
            assertThat(commands.poll(10, TimeUnit.SECONDS)).contains("record_start");

            // One of two leaves: the other is still there, so the recording runs on past the grace.
            guestChannel.close();
            hostChannel.await("participant.left", m -> m.path("participant_id").asText().equals(guest.id()));
            Thread.sleep(GRACE.plusSeconds(3).toMillis());
            assertThat(status(host, recordingId).path("status").asText()).isEqualTo("recording");

            long left = System.nanoTime();
            hostChannel.close();
            JsonNode stopped = awaitStopped(host, recordingId);
            Duration after = Duration.ofNanos(System.nanoTime() - left);
            assertThat(after).as("not before the grace is over").isGreaterThanOrEqualTo(GRACE);
            assertThat(stopped.path("status").asText()).isEqualTo("processing");
            assertThat(stopped.path("stopped_by").asText()).isEqualTo("system");

            // As a host's stop: the SFU's tap off (command and key), the room told, the event on Kafka.
            assertThat(commands.poll(10, TimeUnit.SECONDS))
                    .isEqualTo("{\"action\":\"record_stop\",\"recording_id\":\"" + recordingId + "\"}");
            assertThat(redis.getBucket(MediaTaps.recordingKey(meetingId), StringCodec.INSTANCE).isExists()).isFalse();
            JsonNode told = awaitAnnouncement(announced, "recording.stopped");
            assertThat(told.path("recording_id").asText()).isEqualTo(recordingId);
            assertThat(told.path("by").asText()).isEqualTo("system");
            RecordingEvents.Stopped event = events.await(RecordingEvents.Stopped.class,
                    e -> e.recordingId().equals(recordingId), Duration.ofSeconds(30));
            assertThat(event.stoppedBy()).isEqualTo("system");
            assertThat(event.meetingId()).isEqualTo(meetingId);

            // Both instances swept this meeting every second: still one stop, one event, one audit entry.
            Thread.sleep(3_000);
            assertThat(events.all(RecordingEvents.Stopped.class).stream()
                    .filter(e -> e.recordingId().equals(recordingId))).hasSize(1);
            JsonNode audit = api.get("/api/v1/admin/audit-log?action=recording.auto_stopped&target_id="
                    + recordingId, admin.token()).json();
            assertThat(audit.path("total").asLong()).as(audit.toString()).isEqualTo(1);
            JsonNode entry = audit.path("items").get(0);
            assertThat(entry.path("actor_id").isNull()).as("the system acted").isTrue();
            assertThat(entry.path("details").path("meeting_id").asText()).isEqualTo(meetingId);
            assertThat(entry.path("details").path("reason").asText()).isEqualTo("meeting_empty");
            assertThat(marked(meetingId)).as("nothing left to look at").isFalse();
            // A host's stop now finds nothing running.
            Answer again = api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(), Map.of());
            assertThat(again.status()).as(again.toString()).isEqualTo(409);
        } finally {
            control.removeListener(controlListener);
            channelTopic.removeListener(channelListener);
        }
    }

    @Test
    void someoneReturningWithinTheGraceKeepsItRunning() throws Exception {
        Account host = support.member();
        Account guest = support.member();
        String meetingId = meeting(host, guest);
        ChannelClient hostChannel = connect(FIRST, host, meetingId);
        ChannelClient guestChannel = connect(SECOND, guest, meetingId);
        String recordingId = start(host, meetingId);
        hostChannel.await("recording.started");

        guestChannel.close();
        hostChannel.await("participant.left", m -> m.path("participant_id").asText().equals(guest.id()));
        long emptied = System.nanoTime();
        hostChannel.close();
        awaitMarked(meetingId);
        // The host reconnects (join again, new channel, on the other instance) before the grace is over.
        ChannelClient back = connect(SECOND, host, meetingId);
        assertThat(Duration.ofNanos(System.nanoTime() - emptied)).as("back within the grace").isLessThan(GRACE);
        assertThat(back.welcome().path("recording").path("recording_id").asText()).isEqualTo(recordingId);
        assertThat(marked(meetingId)).isFalse();

        Thread.sleep(GRACE.plusSeconds(3).toMillis());
        assertThat(status(host, recordingId).path("status").asText()).isEqualTo("recording");

        // Leaving again starts a new grace, and that one ends the recording.
        back.close();
        assertThat(awaitStopped(host, recordingId).path("stopped_by").asText()).isEqualTo("system");
    }

    @Test
    void anotherInstanceStopsItWhenTheOneThatSawEveryoneLeaveIsGone() throws Exception {
        Account host = support.member();
        Account guest = support.member();
        String meetingId = meeting(host, guest);
        DropwizardAppExtension<ApiServerConfiguration> leaving =
                TestApps.onPlatform(ApiServerApplication.class, AUTO_STOP);
        leaving.before();
        String recordingId;
        try {
            ChannelClient hostChannel = connect(leaving, host, meetingId);
            recordingId = start(host, meetingId);
            hostChannel.await("recording.started");
            hostChannel.close();
            awaitMarked(meetingId);
        } finally {
            // Its grace timer goes with it; only the mark in Redis is left for the others' sweeps.
            leaving.after();
        }
        assertThat(status(host, recordingId).path("status").asText()).isIn("recording", "processing");
        JsonNode stopped = awaitStopped(host, recordingId);
        assertThat(stopped.path("stopped_by").asText()).isEqualTo("system");
    }

    /** A meeting of {@code host} with {@code guest}, no lobby, everyone may join before the host. */
    private String meeting(Account host, Account guest) {
        return support.create(host, "participants", List.of(guest.id()),
                "settings", Map.of("lobby", false, "join_before_host", true)).path("meeting_id").asText();
    }

    /** Joins over REST and connects to {@code app}'s channel; returns once welcomed. */
    private ChannelClient connect(DropwizardAppExtension<?> app, Account account, String meetingId) {
        Answer joined = api.post("/api/v1/meetings/" + meetingId + "/join", account.token(),
                Map.of("user_id", account.id()));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        ChannelClient client = ChannelClient.connect(app.getLocalPort());
        client.send(Map.of("type", "auth", "token", joined.json().path("join_token").asText(), "after", 0));
        client.welcome();
        return client;
    }

    private String start(Account host, String meetingId) {
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return started.json().path("recording_id").asText();
    }

    private JsonNode status(Account host, String recordingId) {
        Answer answer = api.get("/api/v1/recordings/" + recordingId, host.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private JsonNode awaitStopped(Account host, String recordingId) throws InterruptedException {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        JsonNode recording;
        do {
            recording = status(host, recordingId);
            if (!recording.path("status").asText().equals("recording")) {
                return recording;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("still recording " + STOP_TIMEOUT + " after everyone left: " + recording);
    }

    private boolean marked(String meetingId) {
        return redis.getScoredSortedSet(RedisKeys.recordingAutoStops(), StringCodec.INSTANCE)
                .getScore(meetingId) != null;
    }

    /** The departure reaches the server just after the client's close: wait until it noted the meeting empty. */
    private void awaitMarked(String meetingId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!marked(meetingId)) {
            assertThat(System.nanoTime()).as("meeting " + meetingId + " noted empty").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static JsonNode awaitAnnouncement(BlockingQueue<String> announced, String type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String message = announced.poll(100, TimeUnit.MILLISECONDS);
            if (message != null) {
                JsonNode event = JSON.readTree(message);
                if (event.path("type").asText().equals(type)) {
                    return event;
                }
            }
        }
        throw new AssertionError("no " + type + " in the meeting channel within 10 s");
    }
}
