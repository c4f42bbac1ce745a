package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.ChannelClient;
import io.tribune.api.TestApps;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.kafka.LiveCaptionsConsumer;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.MediaTaps;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RBucket;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.tribune.api.resources.MeetingTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live captions (issue 9) against the real platform, with two api-server instances: who may switch them on and
 * off over REST and the channel, what the SFU is told (the Redis key and the sfu-control command), and captions
 * produced to the real Kafka reaching the meeting's members on both instances with the speaker's name, while
 * stale, malformed and switched-off ones do not.
 */
@ExtendWith(PlatformExtension.class)
class LiveCaptionsIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> FIRST =
            TestApps.onPlatform(ApiServerApplication.class);

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> SECOND =
            TestApps.onPlatform(ApiServerApplication.class);

    private static RedissonClient redis;

    MeetingTestSupport support;
    ApiClient api;

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

    /** A meeting of {@code host} with a co-host and a participant, no lobby; {@code extra} settings pairs. */
    private String meeting(Account host, Account coHost, Account participant, Object... extra) {
        Map<String, Object> settings = new HashMap<>(Map.of("lobby", false, "join_before_host", true));
        for (int i = 0; i < extra.length; i += 2) {
            settings.put((String) extra[i], extra[i + 1]);
        }
        return support.create(host, "participants", List.of(Map.of("user_id", coHost.id(), "role", "co_host"),
                Map.of("user_id", participant.id(), "role", "participant")), "settings", settings)
                .path("meeting_id").asText();
    }

    private String joinToken(Account account, String meetingId) {
        Answer joined = api.post("/api/v1/meetings/" + meetingId + "/join", account.token(),
                Map.of("user_id", account.id()));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        return joined.json().path("join_token").asText();
    }

    private static ChannelClient connect(DropwizardAppExtension<?> app, String token) {
        ChannelClient client = ChannelClient.connect(app.getLocalPort());
        client.send(Map.of("type", "auth", "token", token, "after", 0));
        client.welcome();
        return client;
    }

    private Answer captions(Account account, String meetingId, Object enabled) {
        Map<String, Object> body = new HashMap<>();
        body.put("enabled", enabled);
        return api.post("/api/v1/meetings/" + meetingId + "/captions", account.token(), body);
    }

    @Nested
    class SwitchingCaptions {

        @Test
        void onlyModeratorsSwitchThemAndTheSfuTheKeyAndTheRoomFollow() throws Exception {
            Account host = support.member();
            Account coHost = support.member();
            Account participant = support.member();
            Account stranger = support.member();
            String meetingId = meeting(host, coHost, participant);
            BlockingQueue<String> commands = new LinkedBlockingQueue<>();
            RTopic control = redis.getTopic(RedisKeys.sfuControl(meetingId), StringCodec.INSTANCE);
            int listener = control.addListener(String.class, (channel, message) -> commands.add(message));
            RBucket<String> key = redis.getBucket(MediaTaps.captionsKey(meetingId), StringCodec.INSTANCE);
            try (ChannelClient watcher = connect(SECOND, joinToken(participant, meetingId));
                 ChannelClient coHostChannel = connect(FIRST, joinToken(coHost, meetingId))) {
                assertThat(watcher.welcome().path("captions").path("enabled").isBoolean()).isTrue();
                assertThat(watcher.welcome().path("captions").path("enabled").asBoolean()).isFalse();

                assertError(captions(participant, meetingId, true), 403, "forbidden", "meeting_id");
                assertError(captions(stranger, meetingId, true), 404, "meeting_not_found", "meeting_id");
                assertError(captions(host, meetingId, null), 400, "invalid_request", "enabled");
                assertError(captions(host, "nosuchmeeting", true), 404, "meeting_not_found", "meeting_id");
                watcher.send(Map.of("type", "captions.set", "enabled", true));
                assertThat(watcher.await("error").path("code").asText()).isEqualTo("forbidden");
                assertThat(key.isExists()).isFalse();
                assertThat(commands.poll(300, TimeUnit.MILLISECONDS)).as("nothing reached the SFU").isNull();

                Answer on = captions(host, meetingId, true);
                assertThat(on.status()).as(on.toString()).isEqualTo(200);
                assertThat(on.json().path("enabled").asBoolean()).isTrue();
                assertThat(key.get()).as("the key the SFU reads").isEqualTo("on");
                assertThat(commands.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"action\":\"captions_start\"}");
                JsonNode state = watcher.await("captions.state");
                assertThat(state.path("enabled").asBoolean()).isTrue();
                assertThat(state.path("by").asText()).isEqualTo(host.id());
                assertThat(api.get("/api/v1/meetings/" + meetingId + "/captions", participant.token()).json()
                        .path("enabled").asBoolean()).isTrue();
                assertThat(api.get("/api/v1/meetings/" + meetingId + "/captions", stranger.token()).status())
                        .isEqualTo(404);
                try (ChannelClient late = connect(SECOND, joinToken(participant, meetingId))) {
                    assertThat(late.welcome().path("captions").path("enabled").asBoolean()).isTrue();
                }

                coHostChannel.send(Map.of("type", "captions.set", "enabled", "no"));
                assertThat(coHostChannel.await("error").path("code").asText()).isEqualTo("invalid_message");
                coHostChannel.send(Map.of("type", "captions.set", "enabled", false));
                JsonNode off = watcher.await("captions.state", m -> !m.path("enabled").asBoolean());
                assertThat(off.path("by").asText()).isEqualTo(coHost.id());
                assertThat(key.isExists()).isFalse();
                assertThat(commands.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"action\":\"captions_stop\"}");

                // Admins may too.
                Answer byAdmin = captions(support.admin(), meetingId, true);
                assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(200);
                assertThat(key.get()).isEqualTo("on");
            } finally {
                control.removeListener(listener);
            }
        }

        @Test
        void areRefusedWhenTheMeetingsSettingsForbidTranscription() {
            Account host = support.member();
            Account coHost = support.member();
            Account participant = support.member();
            String meetingId = meeting(host, coHost, participant, "transcription_allowed", false);
            RBucket<String> key = redis.getBucket(MediaTaps.captionsKey(meetingId), StringCodec.INSTANCE);
            assertError(captions(host, meetingId, true), 409, "captions_not_allowed", "meeting_id");
            try (ChannelClient hostChannel = connect(FIRST, joinToken(host, meetingId))) {
                hostChannel.send(Map.of("type", "captions.set", "enabled", true));
                JsonNode error = hostChannel.await("error");
                assertThat(error.path("code").asText()).isEqualTo("captions_not_allowed");
                assertThat(error.path("message").asText()).contains("transcription_allowed");
            }
            assertThat(key.isExists()).isFalse();
            // Switching off is always allowed.
            assertThat(captions(host, meetingId, false).json().path("enabled").asBoolean()).isFalse();
        }

        @Test
        void autoCaptionsStartWhenTheHostArrivesOnlyWhereTranscriptionIsAllowed() {
            Account host = support.member();
            Account coHost = support.member();
            Account participant = support.member();
            String meetingId = meeting(host, coHost, participant, "auto_captions", true);
            String forbidden = meeting(host, coHost, participant, "auto_captions", true, "transcription_allowed",
                    false);
            assertThat(api.get("/api/v1/meetings/" + meetingId, host.token()).json().path("settings")
                    .path("auto_captions").asBoolean()).isTrue();
            assertThat(api.get("/api/v1/meetings/" + meeting(host, coHost, participant), host.token()).json()
                    .path("settings").path("auto_captions").asBoolean()).as("off by default").isFalse();
            RBucket<String> key = redis.getBucket(MediaTaps.captionsKey(meetingId), StringCodec.INSTANCE);
            try (ChannelClient early = connect(FIRST, joinToken(participant, meetingId))) {
                assertThat(early.welcome().path("captions").path("enabled").asBoolean())
                        .as("a participant starts nothing").isFalse();
                assertThat(key.isExists()).isFalse();
                try (ChannelClient hostChannel = connect(SECOND, joinToken(host, meetingId))) {
                    assertThat(hostChannel.welcome().path("captions").path("enabled").asBoolean()).isTrue();
                    JsonNode state = early.await("captions.state");
                    assertThat(state.path("enabled").asBoolean()).isTrue();
                    assertThat(state.path("by").asText()).isEqualTo(host.id());
                    assertThat(key.get()).isEqualTo("on");
                }
            }
            try (ChannelClient hostChannel = connect(FIRST, joinToken(host, forbidden))) {
                assertThat(hostChannel.welcome().path("captions").path("enabled").asBoolean()).isFalse();
            }
            assertThat(redis.getBucket(MediaTaps.captionsKey(forbidden), StringCodec.INSTANCE).isExists()).isFalse();
        }

        @Test
        void theMeetingsEndSwitchesThemOff() throws Exception {
            Account host = support.member();
            Account coHost = support.member();
            Account participant = support.member();
            String meetingId = meeting(host, coHost, participant);
            BlockingQueue<String> commands = new LinkedBlockingQueue<>();
            RTopic control = redis.getTopic(RedisKeys.sfuControl(meetingId), StringCodec.INSTANCE);
            int listener = control.addListener(String.class, (channel, message) -> commands.add(message));
            RBucket<String> key = redis.getBucket(MediaTaps.captionsKey(meetingId), StringCodec.INSTANCE);
            try (ChannelClient hostChannel = connect(FIRST, joinToken(host, meetingId));
                 ChannelClient watcher = connect(SECOND, joinToken(participant, meetingId))) {
                hostChannel.send(Map.of("type", "captions.set", "enabled", true));
                watcher.await("captions.state", m -> m.path("enabled").asBoolean());
                assertThat(key.get()).isEqualTo("on");
                assertThat(commands.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"action\":\"captions_start\"}");

                hostChannel.send(Map.of("type", "host.end"));
                watcher.await("meeting.ended");
                assertThat(key.isExists()).isFalse();
                assertThat(commands.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"action\":\"captions_stop\"}");
            } finally {
                control.removeListener(listener);
            }
        }
    }

    @Nested
    class RelayingCaptions {

        @Test
        void freshCaptionsReachTheMeetingsMembersOnBothInstancesAndNobodyElse() throws Exception {
            Account host = support.member();
            Account coHost = support.member();
            Account participant = support.member();
            String meetingId = meeting(host, coHost, participant);
            String otherMeeting = meeting(host, coHost, participant);
            assertThat(captions(host, meetingId, true).status()).isEqualTo(200);
            assertThat(captions(host, otherMeeting, true).status()).isEqualTo(200);
            awaitRelaysAssigned();
            long staleBefore = sum(LiveCaptionsConsumer.METRICS + "stale");
            long malformedBefore = sum(LiveCaptionsConsumer.METRICS + "malformed");
            long deadBefore = sum(EventConsumer.metricPrefix(LiveCaptionsConsumer.GROUP) + "dead_lettered");
            try (KafkaProducer<String, byte[]> producer = producer();
                 ChannelClient hostChannel = connect(FIRST, joinToken(host, meetingId));
                 ChannelClient participantChannel = connect(SECOND, joinToken(participant, meetingId));
                 ChannelClient elsewhere = connect(SECOND, joinToken(coHost, otherMeeting))) {
                String phrase = "p-" + UUID.randomUUID();
                Instant now = Instant.now();
                // Not an event at all, a caption without a phrase id, one with a novel for text, then one that ended
                // 30 s ago.
                producer.send(new ProducerRecord<>(Topics.CAPTIONS, meetingId,
                        "{not an event".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
                send(producer, caption(meetingId, participant, null, "no phrase", false, now));
                send(producer, caption(meetingId, participant, "p-long", "word ".repeat(401), false, now));
                send(producer, caption(meetingId, participant, "p-stale", "stale words", true,
                        now.minusSeconds(30)));
                send(producer, caption(meetingId, participant, phrase, "hello wor", false, Instant.now()));
                send(producer, caption(meetingId, participant, phrase, "hello world <b>again</b>", true,
                        Instant.now()));

                for (ChannelClient client : List.of(hostChannel, participantChannel)) {
                    JsonNode partial = client.await("caption", m -> !m.path("final").asBoolean());
                    assertThat(partial.path("phrase_id").asText()).isEqualTo(phrase);
                    assertThat(partial.path("text").asText()).isEqualTo("hello wor");
                    JsonNode fin = client.await("caption", m -> m.path("final").asBoolean());
                    assertThat(fin.path("phrase_id").asText()).isEqualTo(phrase);
                    assertThat(fin.path("text").asText()).isEqualTo("hello world <b>again</b>");
                    assertThat(fin.path("name").asText()).isEqualTo("Speaker " + participant.username());
                    assertThat(fin.path("participant_id").asText()).isEqualTo(participant.id());
                    assertThat(Instant.parse(fin.path("end").asText())).isAfter(Instant.parse(fin.path("start")
                            .asText()));
                }
                // The final came after the stale one on the same partition: it was read, and dropped.
                awaitTrue("the stale caption counted", () -> sum(LiveCaptionsConsumer.METRICS + "stale")
                        > staleBefore);
                awaitTrue("the three malformed records dead-lettered", () -> sum(EventConsumer.metricPrefix(
                        LiveCaptionsConsumer.GROUP) + "dead_lettered") >= deadBefore + 3);
                assertThat(sum(LiveCaptionsConsumer.METRICS + "malformed")).isGreaterThanOrEqualTo(malformedBefore
                        + 2);
                assertThat(participantChannel.drain(Duration.ofMillis(500))).noneMatch(m ->
                        m.path("type").asText().equals("caption") && !m.path("phrase_id").asText().equals(phrase));
                assertThat(elsewhere.drain(Duration.ZERO)).noneMatch(m -> m.path("type").asText().equals("caption"));

                // Switched off: later captions are not shown.
                assertThat(captions(host, meetingId, false).status()).isEqualTo(200);
                long offBefore = sum(LiveCaptionsConsumer.METRICS + "captions_off");
                send(producer, caption(meetingId, participant, "p-off", "after the end", true, Instant.now()));
                awaitTrue("the switched-off caption counted", () -> sum(LiveCaptionsConsumer.METRICS
                        + "captions_off") > offBefore);
                assertThat(participantChannel.drain(Duration.ofMillis(300))).noneMatch(m ->
                        m.path("phrase_id").asText().equals("p-off"));
            }
        }

        private CaptionEvents.Caption caption(String meetingId, Account speaker, String phraseId, String text,
                                              boolean isFinal, Instant end) {
            return new CaptionEvents.Caption(meetingId, speaker.id(), "Speaker " + speaker.username(), "track-1",
                    phraseId, text, isFinal, 1_000, 2_500, end.minusMillis(1_500), end);
        }

        /** Both instances' relays own partitions: a caption produced now is read at once, not after a rebalance. */
        private void awaitRelaysAssigned() throws InterruptedException {
            awaitTrue("both relays assigned", () -> assigned(FIRST) && assigned(SECOND));
        }

        private static boolean assigned(DropwizardAppExtension<ApiServerConfiguration> app) {
            return app.getEnvironment().lifecycle().getManagedObjects().stream()
                    .map(managed -> managed instanceof io.dropwizard.lifecycle.JettyManaged jetty
                            ? jetty.getManaged() : null)
                    .filter(LiveCaptionsConsumer.class::isInstance).map(LiveCaptionsConsumer.class::cast)
                    .anyMatch(relay -> relay.consumer() != null && relay.consumer().hasAssignment());
        }

        private static long sum(String counter) {
            return FIRST.getEnvironment().metrics().counter(counter).getCount()
                    + SECOND.getEnvironment().metrics().counter(counter).getCount();
        }

        private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (condition.getAsBoolean()) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            throw new AssertionError("timed out waiting: " + what);
        }

        private static KafkaProducer<String, byte[]> producer() {
            return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestApps.urls().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new ByteArraySerializer());
        }

        private static void send(KafkaProducer<String, byte[]> producer, CaptionEvents.Caption caption)
                throws Exception {
            Event event = Event.of(caption, Instant.now());
            producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
