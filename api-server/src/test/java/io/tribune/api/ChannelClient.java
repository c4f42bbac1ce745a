package io.tribune.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A meeting-channel client for tests, on the JDK's own WebSocket client: sends JSON, keeps every message it
 * receives, and waits for the ones a test expects. Thread-safe.
 */
public final class ChannelClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private JsonNode welcome;

    private ChannelClient(String url) {
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                inbox.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException("server sent non-JSON: " + partial, e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).join();
    }

    /** Connects to {@code ws://127.0.0.1:<port>/api/v1/channel}. */
    public static ChannelClient connect(int port) {
        return new ChannelClient("ws://127.0.0.1:" + port + "/api/v1/channel");
    }

    public ChannelClient send(Object message) {
        try {
            return sendRaw(JSON.writeValueAsString(message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public ChannelClient sendRaw(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** The first message (received earlier or within 10 s) that matches; fails the test if none comes. */
    public synchronized JsonNode await(String type, Predicate<JsonNode> matches) {
        for (JsonNode message : seen) {
            if (type.equals(message.path("type").asText()) && matches.test(message)) {
                seen.remove(message);
                return message;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < deadline) {
                JsonNode message = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    break;
                }
                if (type.equals(message.path("type").asText()) && matches.test(message)) {
                    return message;
                }
                seen.add(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no " + type + " message arrived; got " + seen);
    }

    /** The {@code welcome} (waited for once, then remembered). */
    public synchronized JsonNode welcome() {
        if (welcome == null) {
            welcome = await("welcome");
        }
        return welcome;
    }

    public JsonNode await(String type) {
        return await(type, message -> true);
    }

    /** Every message received so far (waiting {@code quiet} for stragglers), consumed or not. */
    public synchronized List<JsonNode> drain(Duration quiet) {
        try {
            Thread.sleep(quiet.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inbox.drainTo(seen);
        return List.copyOf(seen);
    }

    /**
     * The close code the server sent, or -1 when the connection ended without a close frame (the server's close of
     * a client that floods it can be lost when the connection is reset under the flood); waits up to 10 s.
     */
    public int awaitEnd() {
        try {
            return closed.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return -1;
        } catch (Exception e) {
            throw new AssertionError("the server did not end the channel", e);
        }
    }

    /** The close code the server sent, waiting up to 10 s. */
    public int awaitClose() {
        try {
            return closed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the channel", e);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing anyway
            }
        }
        socket.abort();
    }
}
