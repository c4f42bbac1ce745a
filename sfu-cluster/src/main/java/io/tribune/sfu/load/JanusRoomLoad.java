package io.tribune.sfu.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.sdp.SdpParseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The same load as {@link TribuneRoomLoad} against Janus's videoroom plugin, through Janus's HTTP API (one session,
 * a handle per peer, events by long poll): each publisher joins the room and configures with its offer; each
 * subscriber joins with every publisher's feed, gets Janus's offer and starts with its answer. The peers are the
 * same {@link LoadPeer}s ({@code a=setup:active}: Janus is the DTLS server on both legs). Close once.
 */
public final class JanusRoomLoad implements RoomLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final Duration timeout;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<PublishedMedia> publishers = new ArrayList<>();
    private final List<LoadPeer> subscribers = new ArrayList<>();
    private volatile boolean closed;
    private long session;
    private Thread poller;

    private JanusRoomLoad(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /**
     * @param janus the HTTP API's root, such as {@code http://127.0.0.1:8088/janus}
     * @param room an existing videoroom with room for {@code publishers} publishers
     * @throws IOException when Janus refuses a request, or ICE or DTLS fails for any peer
     */
    public static JanusRoomLoad connect(URI janus, long room, int publishers, int subscribers, int videoKbps,
                                        InetAddress bind, Duration timeout) throws IOException, InterruptedException {
        JanusRoomLoad load = new JanusRoomLoad(janus, timeout);
        try {
            load.join(room, publishers, subscribers, videoKbps, bind);
        } catch (IOException | InterruptedException | RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    private void join(long room, int publisherCount, int subscriberCount, int videoKbps, InetAddress bind)
            throws IOException, InterruptedException {
        session = post(base, message("create")).path("data").path("id").asLong();
        poller = new Thread(this::poll, "janus-events");
        poller.setDaemon(true);
        poller.start();
        DtlsCertificate certificate = DtlsCertificate.generate(Clock.systemUTC());
        List<Long> feeds = new ArrayList<>();
        for (int i = 0; i < publisherCount; i++) {
            long handle = attach();
            ObjectNode join = JSON.createObjectNode().put("request", "join").put("ptype", "publisher")
                    .put("room", room).put("display", "pub-" + i);
            JsonNode joined = pluginRequest(handle, join, null);
            feeds.add(joined.path("plugindata").path("data").path("id").asLong());
            LoadPeer peer = new LoadPeer("pub-" + i, bind, certificate);
            PublishedMedia media = new PublishedMedia(peer, videoKbps);
            publishers.add(media);
            ObjectNode configure = JSON.createObjectNode().put("request", "configure").put("audio", true)
                    .put("video", true);
            JsonNode answer = pluginRequest(handle, configure, jsep("offer", LoadSdp.publisherOffer(peer, media)));
            connect(peer, answer.path("jsep").path("sdp").asText(), handle);
        }
        for (int i = 0; i < subscriberCount; i++) {
            long handle = attach();
            ObjectNode join = JSON.createObjectNode().put("request", "join").put("ptype", "subscriber")
                    .put("room", room);
            var streams = join.putArray("streams");
            feeds.forEach(feed -> streams.addObject().put("feed", feed));
            JsonNode attached = pluginRequest(handle, join, null);
            String offer = attached.path("jsep").path("sdp").asText();
            LoadPeer peer = new LoadPeer("sub-" + i, bind, certificate);
            subscribers.add(peer);
            String answer;
            try {
                answer = LoadSdp.receiverAnswer(offer, peer);
            } catch (SdpParseException e) {
                throw new IOException("unusable offer from Janus: " + e.getMessage(), e);
            }
            pluginRequest(handle, JSON.createObjectNode().put("request", "start"), jsep("answer", answer));
            connect(peer, offer, handle);
        }
    }

    private void connect(LoadPeer peer, String remoteSdp, long handle) throws IOException, InterruptedException {
        LoadSdp.RemoteEnd remote;
        try {
            remote = LoadSdp.RemoteEnd.of(remoteSdp);
        } catch (SdpParseException e) {
            throw new IOException(peer.name() + ": unusable SDP from Janus: " + e.getMessage(), e);
        }
        // Our candidate is in the SDP; tell Janus there are no more.
        ObjectNode trickle = message("trickle");
        trickle.putObject("candidate").put("completed", true);
        post(handleUri(handle), trickle);
        peer.connect(remote.address(), remote.ufrag(), remote.password(), remote.fingerprint(), timeout);
    }

    private long attach() throws IOException, InterruptedException {
        ObjectNode attach = message("attach").put("plugin", "janus.plugin.videoroom");
        return post(URI.create(base + "/" + session), attach).path("data").path("id").asLong();
    }

    private URI handleUri(long handle) {
        return URI.create(base + "/" + session + "/" + handle);
    }

    /** A plugin message; waits for the plugin's event for it (Janus answers "ack" at once, the event later). */
    private JsonNode pluginRequest(long handle, ObjectNode body, ObjectNode jsep)
            throws IOException, InterruptedException {
        ObjectNode message = message("message");
        message.set("body", body);
        if (jsep != null) {
            message.set("jsep", jsep);
        }
        String transaction = message.path("transaction").asText();
        CompletableFuture<JsonNode> event = new CompletableFuture<>();
        pending.put(transaction, event);
        try {
            JsonNode reply = post(handleUri(handle), message);
            if (reply.path("janus").asText().equals("event")) {
                return checked(reply, body);
            }
            return checked(event.get(timeout.toMillis(), TimeUnit.MILLISECONDS), body);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no event for " + body + ": " + e, e);
        } finally {
            pending.remove(transaction);
        }
    }

    private static JsonNode checked(JsonNode event, ObjectNode body) throws IOException {
        JsonNode data = event.path("plugindata").path("data");
        if (data.has("error")) {
            throw new IOException("Janus refused " + body + ": " + data.path("error").asText());
        }
        return event;
    }

    private JsonNode post(URI uri, ObjectNode message) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode reply = JSON.readTree(response.body());
        if (reply.path("janus").asText().equals("error")) {
            throw new IOException("Janus refused " + message.path("janus").asText() + ": " + reply.path("error"));
        }
        return reply;
    }

    private void poll() {
        while (!closed) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/" + session + "?maxev=10")).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode events = JSON.readTree(response.body());
                for (JsonNode event : events.isArray() ? events : List.of(events)) {
                    CompletableFuture<JsonNode> waiting = pending.get(event.path("transaction").asText());
                    if (waiting != null && event.path("janus").asText().equals("event")) {
                        waiting.complete(event);
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    sleepQuietly();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode message(String type) {
        return JSON.createObjectNode().put("janus", type).put("transaction", UUID.randomUUID().toString());
    }

    private static ObjectNode jsep(String type, String sdp) {
        return JSON.createObjectNode().put("type", type).put("sdp", sdp);
    }

    @Override
    public List<PublishedMedia> publishers() {
        return publishers;
    }

    @Override
    public List<LoadPeer> subscribers() {
        return subscribers;
    }

    @Override
    public void close() {
        closed = true;
        publishers.forEach(m -> m.peer().close());
        subscribers.forEach(LoadPeer::close);
        if (session != 0) {
            try {
                post(URI.create(base + "/" + session), message("destroy"));
            } catch (IOException e) {
                // Janus is going away with the benchmark anyway.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (poller != null) {
            poller.interrupt();
        }
    }
}
