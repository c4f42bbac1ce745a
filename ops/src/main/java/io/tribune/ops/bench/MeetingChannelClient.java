package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One meeting-channel WebSocket (docs/meeting-channel.md) as the web client opens it, for benchmarks that time what
 * reaches a viewer: a join token in the {@code auth} message, the {@code welcome} awaited, a {@code ping} every 25 s
 * (the server closes a connection idle for 90 s). Each server message goes to the {@link Listener} with the
 * {@link System#nanoTime()} of its arrival, taken before it is parsed.
 *
 * <p>Threading: the listener runs on the HTTP client's threads, one message at a time, in order; {@link #send} may
 * be called from any thread.
 */
final class MeetingChannelClient implements AutoCloseable {

    /** Receives every server message (the welcome too). */
    interface Listener {
        void onMessage(JsonNode message, long arrivalNanos);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PING_SECONDS = 25;

    private final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
    private final Listener listener;
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meeting-channel-ping");
        thread.setDaemon(true);
        return thread;
    });
    private WebSocket socket;

    private MeetingChannelClient(Listener listener) {
        this.listener = listener;
    }

    /**
     * Connects to {@code apiUrl}'s channel ({@code http://host:port}), authenticates with {@code joinToken} (from
     * {@code POST /api/v1/meetings/{id}/join}) and returns once the welcome arrived.
     */
    static MeetingChannelClient open(HttpClient http, String apiUrl, String joinToken, Listener listener)
            throws Exception {
        MeetingChannelClient channel = new MeetingChannelClient(listener);
        URI uri = URI.create(apiUrl.replaceFirst("^http", "ws") + "/api/v1/channel");
        channel.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .buildAsync(uri, channel.new Receiver()).get(60, TimeUnit.SECONDS);
        try {
            channel.send(Map.of("type", "auth", "token", joinToken));
            channel.welcome.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            channel.close();
            throw e;
        }
        channel.pinger.scheduleAtFixedRate(() -> {
            try {
                channel.send(Map.of("type", "ping"));
            } catch (Exception e) {
                // the connection is closing; the benchmark notices the missing messages
            }
        }, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
        return channel;
    }

    /** The welcome message. */
    JsonNode welcome() {
        return welcome.join();
    }

    /** Whether the server still sends on it (false once it closed the connection). */
    boolean isOpen() {
        return !socket.isInputClosed();
    }

    /** Sends one client message; the JDK WebSocket allows one outstanding send, hence the lock and the wait. */
    synchronized void send(Object message) throws Exception {
        socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        pinger.shutdownNow();
        if (socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(error -> null).join();
            socket.abort();
        }
    }

    /** Joins a message's parts, parses it and hands it on. */
    private final class Receiver implements WebSocket.Listener {
        private StringBuilder partial;
        private long firstPartNanos;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            if (partial == null) {
                partial = new StringBuilder();
                firstPartNanos = now;
            }
            partial.append(data);
            if (last) {
                String text = partial.toString();
                long arrival = firstPartNanos;
                partial = null;
                handle(text, arrival);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text, long arrivalNanos) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException e) {
                System.err.println("channel: unreadable message: " + text);
                return;
            }
            if ("welcome".equals(message.path("type").asText())) {
                welcome.complete(message);
            }
            listener.onMessage(message, arrivalNanos);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            welcome.completeExceptionally(new IllegalStateException("the channel closed: " + statusCode + " "
                    + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            welcome.completeExceptionally(error);
        }
    }
}
