package io.tribune.sfu.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.sdp.SdpParseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A room on our SFU under load, through its signaling protocol: each publisher joins, declares a microphone and a
 * camera and offers them; then each subscriber joins and offers one receiving section per published track. Every
 * peer then connects (ICE, DTLS) and media flows once {@link LoadGenerator} runs. Thread-safe to read; close once.
 */
public final class TribuneRoomLoad implements RoomLoad {

    private final List<PublishedMedia> publishers = new ArrayList<>();
    private final List<LoadPeer> subscribers = new ArrayList<>();
    private final List<SignalingClient> signaling = new ArrayList<>();
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-keepalive");
        t.setDaemon(true);
        return t;
    });

    private TribuneRoomLoad() {
    }

    /**
     * Joins {@code publishers} publishing and {@code subscribers} receiving participants to one room.
     *
     * @param tokenFor a join token for a participant id (publishers need {@code publish}, subscribers
     *     {@code subscribe})
     * @param bind the local address of every peer's socket (the SFU's host address family)
     * @throws IOException when signaling, ICE or DTLS fails for any peer
     */
    public static TribuneRoomLoad connect(URI signalingUrl, Function<String, String> tokenFor, int publishers,
                                          int subscribers, int videoKbps, InetAddress bind, Duration timeout)
            throws IOException, InterruptedException {
        TribuneRoomLoad room = new TribuneRoomLoad();
        try {
            room.join(signalingUrl, tokenFor, publishers, subscribers, videoKbps, bind, timeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            room.close();
            throw e;
        }
        return room;
    }

    private void join(URI url, Function<String, String> tokenFor, int publisherCount, int subscriberCount,
                      int videoKbps, InetAddress bind, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        DtlsCertificate certificate = DtlsCertificate.generate(Clock.systemUTC());
        for (int i = 0; i < publisherCount; i++) {
            String id = "pub-" + i;
            SignalingClient client = open(http, url, timeout);
            client.request("join", Map.of("token", tokenFor.apply(id)));
            client.request("publish", Map.of("mid", "0", "source", "microphone", "kind", "audio"));
            client.request("publish", Map.of("mid", "1", "source", "camera", "kind", "video"));
            LoadPeer peer = new LoadPeer(id, bind, certificate);
            PublishedMedia media = new PublishedMedia(peer, videoKbps);
            publishers.add(media);
            JsonNode answer = client.request("offer", Map.of("sdp", LoadSdp.publisherOffer(peer, media)));
            connect(peer, answer, timeout);
        }
        for (int i = 0; i < subscriberCount; i++) {
            String id = "sub-" + i;
            SignalingClient client = open(http, url, timeout);
            client.request("join", Map.of("token", tokenFor.apply(id)));
            LoadPeer peer = new LoadPeer(id, bind, certificate);
            subscribers.add(peer);
            JsonNode answer = client.request("offer", Map.of("sdp",
                    LoadSdp.receiverOffer(peer, publisherCount, publisherCount)));
            int bound = answer.path("tracks").size();
            if (bound != 2 * publisherCount) {
                throw new IOException(id + ": the SFU bound " + bound + " of " + 2 * publisherCount + " tracks");
            }
            connect(peer, answer, timeout);
        }
        keepAlive.scheduleAtFixedRate(() -> signaling.forEach(SignalingClient::ping), 15, 15, TimeUnit.SECONDS);
    }

    private SignalingClient open(HttpClient http, URI url, Duration timeout) throws IOException, InterruptedException {
        SignalingClient client = new SignalingClient(http, url, timeout);
        signaling.add(client);
        return client;
    }

    private static void connect(LoadPeer peer, JsonNode answer, Duration timeout)
            throws IOException, InterruptedException {
        LoadSdp.RemoteEnd remote;
        try {
            remote = LoadSdp.RemoteEnd.of(answer.path("sdp").asText());
        } catch (SdpParseException e) {
            throw new IOException(peer.name() + ": unusable answer: " + e.getMessage(), e);
        }
        peer.connect(remote.address(), remote.ufrag(), remote.password(), remote.fingerprint(), timeout);
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
        keepAlive.shutdownNow();
        signaling.forEach(SignalingClient::close);
        publishers.forEach(m -> m.peer().close());
        subscribers.forEach(LoadPeer::close);
    }
}
