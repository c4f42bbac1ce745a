package io.tribune.sfu.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of the SFU's signaling WebSocket (docs/sfu-signaling.md) for load tests: requests with an {@code id},
 * each answered by the reply carrying it; events are ignored. Thread-safe.
 */
final class SignalingClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Duration timeout;
    private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

    SignalingClient(HttpClient http, URI url, Duration timeout) throws IOException, InterruptedException {
        this.timeout = timeout;
        try {
            this.socket = http.newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(url, new Reader()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot open " + url + ": " + e, e);
        }
    }

    /** Sends {@code type} with {@code fields} and waits for the reply; an {@code error} reply throws. */
    JsonNode request(String type, Map<String, Object> fields) throws IOException, InterruptedException {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("type", type).put("id", id);
        fields.forEach((k, v) -> message.set(k, JSON.valueToTree(v)));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        send(JSON.writeValueAsString(message));
        try {
            JsonNode answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.path("type").asText().equals("error")) {
                throw new IOException(type + " refused: " + answer.path("code").asText() + " "
                        + answer.path("message").asText());
            }
            return answer;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no reply to " + type + ": " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Fire and forget (keep-alive pings). */
    void ping() {
        send("{\"type\":\"ping\"}");
    }

    private synchronized void send(String text) {
        // One outstanding send at a time, as java.net.http.WebSocket requires.
        sending = sending.exceptionally(e -> null).thenCompose(v -> socket.sendText(text, true))
                .thenApply(ws -> null);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            socket.abort();
        }
    }

    private final class Reader implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    JsonNode id = message.get("id");
                    if (id != null) {
                        CompletableFuture<JsonNode> reply = pending.get(id.asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // Not JSON: not ours to answer.
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            pending.values().forEach(f -> f.completeExceptionally(new IOException("closed " + statusCode + " "
                    + reason)));
            return null;
        }
    }
}
