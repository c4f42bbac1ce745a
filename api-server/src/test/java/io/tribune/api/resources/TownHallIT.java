package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.CdnTestKeys;
import io.tribune.api.ChannelClient;
import io.tribune.api.TestApps;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.common.cdn.CloudFrontVerifier;
import io.tribune.common.cdn.CloudFrontVerifier.Verdict;
import io.tribune.events.LiveBroadcasts;
import io.tribune.platform.PlatformExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RSet;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.tribune.api.resources.MeetingTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Town halls over HTTP and real WebSockets: starting and stopping the broadcast (who may, what is recorded, who
 * hears of it), the audience's signed playback cookies (checked with the same verifier the origin runs), Q&A
 * (ask, one vote per person, answers by panelists only, bad input) and the viewer count.
 */
@ExtendWith(PlatformExtension.class)
class TownHallIT {

    private static final KeyPair CDN_KEYS = CdnTestKeys.rsaKeys();
    private static final String KEY_ID = "KTESTAUDIENCE";

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(ApiServerApplication.class,
            ConfigOverride.config("meetings.playback.keyPairId", KEY_ID),
            ConfigOverride.config("meetings.playback.privateKeyFile", CdnTestKeys.privateKeyFile(CDN_KEYS).toString()),
            ConfigOverride.config("meetings.playback.ttl", "10 minutes"));

    MeetingTestSupport support;
    ApiClient api;

    @BeforeEach
    void newClient() {
        api = ApiClient.local(APP.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    /** A town hall's people: host, co-host, panelist, two attendees, and the meeting id. */
    record Cast(Account host, Account coHost, Account panelist, Account viewer, Account otherViewer, String id) {
    }

    private Cast townHall() {
        Account host = support.platformHost();
        Account coHost = support.member();
        Account panelist = support.member();
        Account viewer = support.member();
        Account otherViewer = support.member();
        String id = support.create(host, "kind", "town_hall", "participants", List.of(
                        Map.of("user_id", coHost.id(), "role", "co_host"),
                        Map.of("user_id", panelist.id(), "role", "panelist"), viewer.id(), otherViewer.id()),
                "settings", Map.of("lobby", false, "join_before_host", true)).path("meeting_id").asText();
        return new Cast(host, coHost, panelist, viewer, otherViewer, id);
    }

    private ChannelClient channel(Account account, String meetingId) {
        Answer joined = api.post("/api/v1/meetings/" + meetingId + "/join", account.token(),
                Map.of("user_id", account.id()));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        ChannelClient client = ChannelClient.connect(APP.getLocalPort());
        client.send(Map.of("type", "auth", "token", joined.json().path("join_token").asText()));
        client.welcome();
        return client;
    }

    private Answer broadcast(Account account, String meetingId, String action) {
        return action.isEmpty() ? api.get("/api/v1/meetings/" + meetingId + "/broadcast", account.token())
                : api.post("/api/v1/meetings/" + meetingId + "/broadcast/" + action, account.token(), Map.of());
    }

    private List<String> outboxTypes(String meetingId) {
        return APP.<ApiServerApplication>getApplication().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT payload FROM outbox WHERE event_key = :id ORDER BY id")
                .bind("id", meetingId)
                .mapTo(byte[].class)
                .list()).stream()
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .filter(json -> json.contains("meeting.broadcast_"))
                .map(json -> json.contains("meeting.broadcast_started") ? "started" : "stopped")
                .toList();
    }

    @Nested
    class WhenStartingAndStopping {

        @Test
        void onlyTheHostAndCoHostsStartAndStopAndEachChangeIsRecordedOnce() {
            Cast cast = townHall();
            Account stranger = support.member();
            try (ChannelClient viewer = channel(cast.viewer(), cast.id())) {
                assertThat(broadcast(cast.viewer(), cast.id(), "").json().path("state").asText()).isEqualTo("idle");
                assertError(broadcast(cast.viewer(), cast.id(), "start"), 403, "forbidden", "meeting_id");
                assertError(broadcast(cast.panelist(), cast.id(), "start"), 403, "forbidden", "meeting_id");
                assertError(broadcast(stranger, cast.id(), "start"), 404, "meeting_not_found", "meeting_id");
                assertError(broadcast(cast.host(), cast.id(), "stop"), 409, "broadcast_not_live", "state");

                Answer started = broadcast(cast.coHost(), cast.id(), "start");
                assertThat(started.status()).as(started.toString()).isEqualTo(200);
                assertThat(started.json().path("state").asText()).isEqualTo("live");
                assertThat(started.json().path("started_by").asText()).isEqualTo(cast.coHost().id());
                assertThat(started.json().path("hls_url").asText())
                        .isEqualTo("http://127.0.0.1:8090/hls/" + cast.id() + "/master.m3u8");
                JsonNode heard = viewer.await("broadcast.state",
                        m -> m.path("broadcast").path("state").asText().equals("live"));
                assertThat(heard.path("broadcast").path("hls_url").asText()).endsWith("/master.m3u8");

                Answer again = broadcast(cast.host(), cast.id(), "start");
                assertThat(again.json().path("started_at").asText())
                        .isEqualTo(started.json().path("started_at").asText());

                Answer stopped = broadcast(cast.host(), cast.id(), "stop");
                assertThat(stopped.json().path("state").asText()).isEqualTo("stopped");
                assertThat(stopped.json().path("stopped_by").asText()).isEqualTo(cast.host().id());
                viewer.await("broadcast.state", m -> m.path("broadcast").path("state").asText().equals("stopped"));
                assertThat(broadcast(cast.host(), cast.id(), "stop").json().path("state").asText())
                        .isEqualTo("stopped");
                assertThat(broadcast(cast.viewer(), cast.id(), "").json().path("state").asText())
                        .isEqualTo("stopped");

                assertThat(outboxTypes(cast.id())).containsExactly("started", "stopped");
            }
        }

        /** Transcoders learn of live broadcasts from Redis: the set after each commit, and the channel at once. */
        @Test
        void announcesEachStartAndStopInRedisForTheTranscoders() throws InterruptedException {
            Cast cast = townHall();
            RedissonClient redis = TestApps.redis();
            try {
                BlockingQueue<String> heard = new LinkedBlockingQueue<>();
                RTopic topic = redis.getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE);
                int listener = topic.addListener(String.class, (channel, message) -> heard.add(message));
                RSet<String> live = redis.getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE);
                try {
                    assertThat(live.contains(cast.id())).isFalse();
                    assertThat(broadcast(cast.host(), cast.id(), "start").status()).isEqualTo(200);
                    assertThat(live.contains(cast.id())).as("in the live set once the start returned").isTrue();
                    assertThat(awaitAbout(heard, cast.id()))
                            .isEqualTo("{\"action\":\"start\",\"meeting_id\":\"" + cast.id() + "\"}");

                    assertThat(broadcast(cast.coHost(), cast.id(), "stop").status()).isEqualTo(200);
                    assertThat(live.contains(cast.id())).isFalse();
                    assertThat(awaitAbout(heard, cast.id()))
                            .isEqualTo("{\"action\":\"stop\",\"meeting_id\":\"" + cast.id() + "\"}");

                    // A refused start announces nothing.
                    assertError(broadcast(cast.viewer(), cast.id(), "start"), 403, "forbidden", "meeting_id");
                    assertThat(live.contains(cast.id())).isFalse();
                    assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).isNull();
                } finally {
                    topic.removeListener(listener);
                }
            } finally {
                redis.shutdown();
            }
        }

        private static String awaitAbout(BlockingQueue<String> heard, String meetingId) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String message = heard.poll(200, TimeUnit.MILLISECONDS);
                if (message != null && message.contains(meetingId)) {
                    return message;
                }
            }
            throw new AssertionError("no announcement about " + meetingId + " within 10 s");
        }

        @Test
        void refusesMeetingsThatAreNoTownHall() {
            Account host = support.member();
            String id = support.create(host).path("meeting_id").asText();

            assertError(broadcast(host, id, "start"), 409, "not_a_town_hall", "kind");
            assertError(broadcast(host, id, ""), 409, "not_a_town_hall", "kind");
            assertThat(api.post("/api/v1/meetings/" + id + "/broadcast/start", null, Map.of()).status())
                    .isEqualTo(401);
        }
    }

    @Nested
    class WhenPlaying {

        private final CloudFrontVerifier origin = new CloudFrontVerifier(Map.of(KEY_ID, CDN_KEYS.getPublic()),
                Clock.systemUTC());

        @Test
        void cookiesCoverEveryFileOfTheEventAndNothingElse() {
            Cast cast = townHall();
            Answer answer = api.get("/api/v1/meetings/" + cast.id() + "/broadcast/playback", cast.viewer().token());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            JsonNode playback = answer.json();
            String base = "http://127.0.0.1:8090/hls/" + cast.id() + "/";
            assertThat(playback.path("hls_url").asText()).isEqualTo(base + "master.m3u8");
            assertThat(playback.path("cookie_path").asText()).isEqualTo("/hls/" + cast.id() + "/");
            Instant expires = Instant.parse(playback.path("expires_at").asText());
            assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(9)),
                    Instant.now().plus(Duration.ofMinutes(11)));
            Map<String, String> cookies = new HashMap<>();
            playback.path("cookies").fields().forEachRemaining(e -> cookies.put(e.getKey(), e.getValue().asText()));
            assertThat(cookies).containsKeys("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id");

            for (String file : List.of("master.m3u8", "720p/index.m3u8?_HLS_msn=12&_HLS_part=3",
                    "360p/k2ab/p41.m4s", "subs/index.m3u8")) {
                assertThat(origin.verifyCookies(base + file, cookies, "203.0.113.9")).as(file).isEqualTo(Verdict.OK);
            }
            assertThat(origin.verifyCookies("http://127.0.0.1:8090/hls/otherevent0000000000/master.m3u8", cookies,
                    null)).isEqualTo(Verdict.WRONG_RESOURCE);
            Map<String, String> tampered = new HashMap<>(cookies);
            String signature = cookies.get("CloudFront-Signature");
            tampered.put("CloudFront-Signature", flip(signature));
            assertThat(origin.verifyCookies(base + "master.m3u8", tampered, null)).isEqualTo(Verdict.BAD_SIGNATURE);
            CloudFrontVerifier later = new CloudFrontVerifier(Map.of(KEY_ID, CDN_KEYS.getPublic()),
                    Clock.fixed(expires.plusSeconds(1), ZoneOffset.UTC));
            assertThat(later.verifyCookies(base + "master.m3u8", cookies, null)).isEqualTo(Verdict.EXPIRED);

            String signedUrl = playback.path("signed_url").asText();
            assertThat(signedUrl).startsWith(base + "master.m3u8?");
            assertThat(origin.verifyUrl(signedUrl, null)).isEqualTo(Verdict.OK);
            assertThat(origin.verifyUrl(signedUrl.replace("master.m3u8", "360p/index.m3u8"), null))
                    .isEqualTo(Verdict.OK);

            List<String> setCookies = answer.headers().allValues("Set-Cookie");
            assertThat(setCookies).hasSize(3).allSatisfy(header -> assertThat(header)
                    .contains("Path=/hls/" + cast.id() + "/").containsIgnoringCase("HttpOnly"));
            assertThat(answer.header("Cache-Control")).hasValue("no-store");
        }

        @Test
        void anAudienceMemberGetsThePassOverTheChannelAndStrangersGetNone() {
            Cast cast = townHall();
            Account stranger = support.member();
            assertError(api.get("/api/v1/meetings/" + cast.id() + "/broadcast/playback", stranger.token()), 404,
                    "meeting_not_found", "meeting_id");
            try (ChannelClient viewer = channel(cast.viewer(), cast.id())) {
                viewer.send(Map.of("type", "broadcast.playback"));
                JsonNode pass = viewer.await("broadcast.playback").path("playback");
                Map<String, String> cookies = new HashMap<>();
                pass.path("cookies").fields().forEachRemaining(e -> cookies.put(e.getKey(), e.getValue().asText()));
                assertThat(origin.verifyCookies(pass.path("hls_url").asText(), cookies, null))
                        .isEqualTo(Verdict.OK);
            }
        }
    }

    @Nested
    class WhenAskingQuestions {

        @Test
        void theAudienceAsksAndVotesOnceAndOnlyPanelistsAnswer() {
            Cast cast = townHall();
            try (ChannelClient asker = channel(cast.viewer(), cast.id());
                 ChannelClient voter = channel(cast.otherViewer(), cast.id());
                 ChannelClient panelist = channel(cast.panelist(), cast.id())) {
                asker.send(Map.of("type", "question.ask", "text", "  When does the <b>beta</b> ship?  "));
                JsonNode asked = voter.await("question.updated").path("question");
                assertThat(asked.path("text").asText()).isEqualTo("When does the <b>beta</b> ship?");
                assertThat(asked.path("author_id").asText()).isEqualTo(cast.viewer().id());
                assertThat(asked.path("votes").asInt()).isZero();
                assertThat(asked.path("answered").asBoolean()).isFalse();
                String questionId = asked.path("question_id").asText();

                voter.send(Map.of("type", "question.vote", "question_id", questionId));
                JsonNode voted = asker.await("question.updated", m -> m.path("question").path("votes").asInt() == 1);
                assertThat(voted.path("question").path("question_id").asText()).isEqualTo(questionId);
                voter.send(Map.of("type", "question.vote", "question_id", questionId));
                assertThat(voter.await("error").path("code").asText()).isEqualTo("already_voted");

                asker.send(Map.of("type", "question.answer", "question_id", questionId));
                assertThat(asker.await("error").path("code").asText()).isEqualTo("forbidden");
                panelist.send(Map.of("type", "question.answer", "question_id", questionId));
                JsonNode answered = voter.await("question.updated",
                        m -> m.path("question").path("answered").asBoolean());
                assertThat(answered.path("question").path("answered_by").asText()).isEqualTo(cast.panelist().id());
                assertThat(answered.path("question").path("votes").asInt()).isEqualTo(1);

                voter.send(Map.of("type", "question.list"));
                JsonNode listed = voter.await("question.list").path("questions");
                assertThat(listed).hasSize(1);
                assertThat(listed.get(0).path("voted").asBoolean()).isTrue();
                Answer rest = api.get("/api/v1/meetings/" + cast.id() + "/questions", cast.viewer().token());
                assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
                assertThat(rest.json().path("questions").get(0).path("voted").asBoolean()).isFalse();
                assertThat(rest.json().path("questions").get(0).path("votes").asInt()).isEqualTo(1);
            }
        }

        @Test
        void badQuestionsGetClearErrorsAndTheConnectionStays() {
            Cast cast = townHall();
            try (ChannelClient viewer = channel(cast.viewer(), cast.id())) {
                viewer.send(Map.of("type", "question.ask", "text", "   "));
                assertThat(viewer.await("error").path("code").asText()).isEqualTo("invalid_question");
                viewer.send(Map.of("type", "question.ask", "text", "x".repeat(501)));
                assertThat(viewer.await("error").path("code").asText()).isEqualTo("invalid_question");
                viewer.send(Map.of("type", "question.ask", "text", 42));
                assertThat(viewer.await("error").path("code").asText()).isEqualTo("invalid_question");
                viewer.send(Map.of("type", "question.vote", "question_id", "999999999"));
                assertThat(viewer.await("error").path("code").asText()).isEqualTo("question_not_found");
                viewer.send(Map.of("type", "question.vote", "question_id", "one"));
                assertThat(viewer.await("error").path("code").asText()).isEqualTo("invalid_message");
                viewer.send(Map.of("type", "question.vote"));
                assertThat(viewer.await("error").path("code").asText()).isEqualTo("invalid_message");

                viewer.send(Map.of("type", "question.ask", "text", "x".repeat(500)));
                assertThat(viewer.await("question.updated").path("question").path("text").asText()).hasSize(500);
            }
            Account stranger = support.member();
            assertError(api.get("/api/v1/meetings/" + cast.id() + "/questions", stranger.token()), 404,
                    "meeting_not_found", "meeting_id");
        }
    }

    @Nested
    class WhenCountingViewers {

        @Test
        void countsAudienceMembersConnectedToTheChannel() throws InterruptedException {
            Cast cast = townHall();
            try (ChannelClient panelist = channel(cast.panelist(), cast.id());
                 ChannelClient first = channel(cast.viewer(), cast.id())) {
                try (ChannelClient second = channel(cast.otherViewer(), cast.id())) {
                    assertThat(awaitViewers(cast, 2)).isEqualTo(2);
                    second.send(Map.of("type", "broadcast.state"));
                    assertThat(second.await("broadcast.state").path("broadcast").path("viewer_count").asLong())
                            .isEqualTo(2);
                }
                assertThat(awaitViewers(cast, 1)).isEqualTo(1);
            }
        }

        /** Polls the count (remembered for 2 s per instance) until it is {@code expected}, for at most 20 s. */
        private long awaitViewers(Cast cast, long expected) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long seen;
            do {
                seen = broadcast(cast.host(), cast.id(), "").json().path("viewer_count").asLong();
                if (seen == expected) {
                    return seen;
                }
                Thread.sleep(250);
            } while (System.nanoTime() < deadline);
            return seen;
        }
    }

    private static String flip(String signature) {
        char first = signature.charAt(10);
        return signature.substring(0, 10) + (first == 'A' ? 'B' : 'A') + signature.substring(11);
    }
}
