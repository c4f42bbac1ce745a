package io.tribune.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.sfu.TestSfuNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The signaling WebSocket of a running node, driven by a plain WebSocket client (no media). */
class SignalingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestSfuNode node;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        node = new TestSfuNode();
        client = new WebSocketClient();
        client.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (node != null) {
            node.close();
        }
    }

    /** One client connection: what it received, and how it was closed. */
    public static final class Connection implements Session.Listener.AutoDemanding {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile Session session;

        static Connection open() throws Exception {
            Connection connection = new Connection();
            client.connect(connection, URI.create(node.signalingUrl())).get(5, TimeUnit.SECONDS);
            return connection;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            session = opened;
        }

        @Override
        public void onWebSocketText(String text) {
            try {
                received.add(JSON.readTree(text));
            } catch (Exception e) {
                received.add(JSON.createObjectNode().put("type", "unparsable").put("text", text));
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            closed.complete(statusCode);
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // The flood test keeps writing after the server closed: a broken pipe is expected there.
        }

        void send(String text) {
            session.sendText(text, Callback.NOOP);
        }

        /** The next message of this type, skipping others; fails after 5 s. */
        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                JsonNode message = received.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && message.path("type").asText().equals(type)) {
                    return message;
                }
            }
            throw new AssertionError("no " + type + " message within 5 s");
        }

        JsonNode join(String token) throws InterruptedException {
            send("{\"type\":\"join\",\"id\":1,\"token\":\"" + token + "\"}");
            return next("joined");
        }

        void close() {
            if (session != null && session.isOpen()) {
                session.close();
            }
        }
    }

    @Nested
    class WhenJoining {
        @Test
        void othersHearOfJoinsAndLeavesAndTheRoomGoesWhenEmpty() throws Exception {
            Connection alice = Connection.open();
            Connection bob = Connection.open();
            JsonNode aliceJoined = alice.join(node.token("alice", "room-a", "host", TestSfuNode.EVERYTHING));
            assertThat(aliceJoined.path("participant_id").asText()).isEqualTo("alice");
            assertThat(aliceJoined.path("participants")).isEmpty();
            assertThat(aliceJoined.path("id").asLong()).isEqualTo(1);

            JsonNode bobJoined = bob.join(node.token("bob", "room-a", "participant", TestSfuNode.EVERYTHING));
            assertThat(bobJoined.path("participants").get(0).path("participant_id").asText()).isEqualTo("alice");
            assertThat(alice.next("participant_joined").path("participant").path("participant_id").asText())
                    .isEqualTo("bob");
            assertThat(node.application().rooms().room("room-a")).isPresent();

            bob.send("{\"type\":\"leave\"}");
            JsonNode left = alice.next("participant_left");
            assertThat(left.path("participant_id").asText()).isEqualTo("bob");
            assertThat(left.path("reason").asText()).isEqualTo("left");
            assertThat(bob.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);

            alice.close();
            assertThat(alice.closed.get(5, TimeUnit.SECONDS)).isNotNull();
            long deadline = System.currentTimeMillis() + 5_000;
            while (node.application().rooms().room("room-a").isPresent() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(node.application().rooms().room("room-a")).isEmpty();
        }

        @Test
        void refusesATokenForAnotherAudience() throws Exception {
            Connection connection = Connection.open();
            connection.send("{\"type\":\"join\",\"token\":\"" + node.token("carol", "room-b", "participant",
                    TestSfuNode.EVERYTHING, List.of("channel"), Duration.ofMinutes(2)) + "\"}");
            JsonNode error = connection.next("error");
            assertThat(error.path("code").asText()).isEqualTo("unauthorized");
            assertThat(connection.closed.get(5, TimeUnit.SECONDS)).isEqualTo(SignalingSocket.CLOSE_UNAUTHORIZED);
        }

        @Test
        void refusesAnExpiredToken() throws Exception {
            Connection connection = Connection.open();
            connection.send("{\"type\":\"join\",\"token\":\"" + node.expiredToken("dave", "room-b") + "\"}");
            assertThat(connection.next("error").path("message").asText()).contains("expired");
            assertThat(connection.closed.get(5, TimeUnit.SECONDS)).isEqualTo(SignalingSocket.CLOSE_UNAUTHORIZED);
        }

        @Test
        void acceptsEachTokenOnce() throws Exception {
            String token = node.token("erin", "room-c", "participant", TestSfuNode.EVERYTHING);
            Connection first = Connection.open();
            first.join(token);
            Connection second = Connection.open();
            second.send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
            assertThat(second.next("error").path("message").asText()).contains("already used");
            first.close();
        }

        @Test
        void refusesEverythingButJoinFirst() throws Exception {
            Connection connection = Connection.open();
            connection.send("{\"type\":\"offer\",\"id\":7,\"sdp\":\"v=0\"}");
            JsonNode error = connection.next("error");
            assertThat(error.path("code").asText()).isEqualTo("join_first");
            assertThat(error.path("id").asLong()).isEqualTo(7);
            connection.close();
        }
    }

    @Nested
    class WhenInputIsBad {
        @Test
        void answersMalformedJsonWithAnErrorAndKeepsTheConnection() throws Exception {
            Connection connection = Connection.open();
            connection.join(node.token("frank", "room-d", "participant", TestSfuNode.EVERYTHING));
            for (String bad : List.of("{nope", "[]", "42", "{\"type\":17}", "{\"type\":\"warp\"}",
                    "{\"type\":\"mute\"}", "{\"type\":\"publish\",\"mid\":\"0\",\"source\":\"hologram\"}",
                    "{\"type\":\"offer\",\"sdp\":\"not sdp\"}")) {
                connection.send(bad);
                assertThat(connection.next("error").path("code").asText()).as(bad).isNotEmpty();
            }
            connection.send("{\"type\":\"ping\",\"id\":3}");
            assertThat(connection.next("pong").path("id").asLong()).isEqualTo(3);
            connection.close();
        }

        @Test
        void rateLimitsAFloodAndClosesTheFlooderWhileOthersAreServed() throws Exception {
            Connection flooder = Connection.open();
            Connection bystander = Connection.open();
            flooder.join(node.token("gina", "room-e", "participant", TestSfuNode.EVERYTHING));
            bystander.join(node.token("hank", "room-f", "participant", TestSfuNode.EVERYTHING));
            for (int i = 0; i < 1_000; i++) {
                flooder.send("{\"type\":\"ping\"}");
            }
            assertThat(flooder.next("error").path("code").asText()).isEqualTo("rate_limited");
            // The node closes with 1008. If the client is still writing when the node closes the socket, the TCP
            // reset can swallow the close frame and the client sees 1006 (abnormal): cut off either way.
            assertThat(flooder.closed.get(5, TimeUnit.SECONDS)).isIn(1008, 1006);
            long start = System.nanoTime();
            bystander.send("{\"type\":\"ping\",\"id\":9}");
            bystander.next("pong");
            System.out.printf("bystander ping during a flood: %.1f ms%n", (System.nanoTime() - start) / 1e6);
            bystander.close();
        }
    }

    @Nested
    class WhenOperated {
        @Test
        void adminPortServesHealthAndPipelineMetrics() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create(node.adminUrl() + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"media\"", "\"healthy\":true");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create(node.adminUrl() + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("sfu_rooms", "sfu_participants", "jvm_");
        }
    }

    @Nested
    class WhenPublishing {
        @Test
        void anAttendeeCannotPublish() throws Exception {
            Connection attendee = Connection.open();
            attendee.join(node.token("ivan", "room-g", "attendee", List.of("subscribe", "chat")));
            attendee.send("{\"type\":\"publish\",\"id\":2,\"mid\":\"0\",\"source\":\"microphone\"}");
            JsonNode error = attendee.next("error");
            assertThat(error.path("code").asText()).isEqualTo("forbidden");
            assertThat(error.path("id").asLong()).isEqualTo(2);
            attendee.close();
        }

        @Test
        void screenShareNeedsItsPermission() throws Exception {
            Connection guest = Connection.open();
            guest.join(node.token("judy", "room-g", "guest", List.of("publish", "subscribe", "chat")));
            guest.send("{\"type\":\"publish\",\"mid\":\"2\",\"source\":\"screen\"}");
            assertThat(guest.next("error").path("code").asText()).isEqualTo("forbidden");
            guest.send("{\"type\":\"publish\",\"id\":5,\"mid\":\"1\",\"source\":\"camera\",\"kind\":\"video\"}");
            JsonNode published = guest.next("published");
            assertThat(published.path("track_id").asText()).startsWith("camera-");
            assertThat(published.path("mid").asText()).isEqualTo("1");
            guest.close();
        }
    }
}
