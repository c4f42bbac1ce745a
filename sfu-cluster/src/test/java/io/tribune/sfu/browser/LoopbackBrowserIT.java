package io.tribune.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.ice.IceConfig;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.srtp.SrtpCrypto;
import io.tribune.sfu.srtp.SrtpStatus;
import io.tribune.sfu.transport.TransportStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The transport against a real browser: headless Chromium publishes its fake camera (VP8) and microphone (Opus)
 * to our ICE + DTLS + SRTP stack, which decrypts, re-stamps and re-encrypts them back to the page, either on the
 * same peer connection or on a second one; the page's getStats() must show the forwarded video being decoded and
 * the forwarded audio arriving, continuously.
 *
 * <p>Runs under Failsafe in a network namespace with only loopback (src/test/netns-jvm/bin/java).
 */
class LoopbackBrowserIT {

    private static final long MEASURE_MILLIS = 5_000;
    private static ScheduledExecutorService scheduler;
    private static IceUdpPort port;
    private static DtlsCertificate certificate;
    private static HttpServer http;
    private static final AtomicReference<LoopbackEndpoint> ENDPOINT = new AtomicReference<>();
    private static final AtomicReference<RoomOfTwo> ROOM = new AtomicReference<>();

    private ChromeDriver browser;
    private Path profile;

    @BeforeAll
    static void startServer() throws Exception {
        Chromium.requireInstalled();
        long start = System.nanoTime();
        System.out.println("SRTP provider: " + SrtpCrypto.initialize() + " (warmed in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)");
        System.out.println("network interfaces: " + Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .map(NetworkInterface::getName).toList());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        certificate = DtlsCertificate.generate(Clock.systemUTC());
        int mediaPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            mediaPort = probe.getLocalPort();
        }
        port = new IceUdpPort(new IceConfig(List.of(InetAddress.getLoopbackAddress()), mediaPort, Optional.empty(),
                true, IceConfig.DEFAULT_CONSENT_TIMEOUT));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> servePage(exchange, "loopback.html"));
        http.createContext("/room", exchange -> servePage(exchange, "room.html"));
        http.createContext("/offer", LoopbackBrowserIT::answerOffer);
        http.createContext("/publish", exchange -> answer(exchange, offer -> room().publish(offer)));
        http.createContext("/subscribe", exchange -> answer(exchange, offer -> room().subscribe(offer)));
        http.start();
    }

    private static void servePage(HttpExchange exchange, String name) throws IOException {
        try (InputStream page = LoopbackBrowserIT.class.getResourceAsStream(name)) {
            respond(exchange, 200, "text/html; charset=utf-8", page.readAllBytes());
        }
    }

    private static RoomOfTwo room() {
        ROOM.compareAndSet(null, new RoomOfTwo(port, certificate, scheduler));
        return ROOM.get();
    }

    /** Turns an offer into an answer. */
    private interface Answerer {
        String answer(String offer) throws Exception;
    }

    private static void answer(HttpExchange exchange, Answerer answerer) throws IOException {
        String offer = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            respond(exchange, 200, "application/sdp", answerer.answer(offer).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            respond(exchange, 400, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void answerOffer(HttpExchange exchange) throws IOException {
        answer(exchange, offer -> {
            LoopbackEndpoint endpoint = new LoopbackEndpoint(offer, port, certificate, scheduler);
            ENDPOINT.set(endpoint);
            return endpoint.answer();
        });
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterAll
    static void stopServer() {
        if (http != null) {
            http.stop(0);
        }
        if (port != null) {
            port.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        LoopbackEndpoint endpoint = ENDPOINT.getAndSet(null);
        if (endpoint != null) {
            endpoint.close();
        }
        RoomOfTwo room = ROOM.getAndSet(null);
        if (room != null) {
            room.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stats() {
        return (Map<String, Object>) browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "window.stats().then(done, e => done({error: String(e)}));");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> stats, String name) {
        Object value = stats.get(name);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static long field(Map<String, Object> stats, String stream, String name) {
        Object entry = stats.get(stream);
        if (!(entry instanceof Map)) {
            return 0;
        }
        Object value = ((Map<String, Object>) entry).get(name);
        return value instanceof Number number ? number.longValue() : 0;
    }

    private Map<String, Object> pageResult() {
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) browser.executeScript("return window.result;");
        return result;
    }

    @Test
    void loopsTheBrowsersCameraAndMicrophoneBackToIt() throws Exception {
        profile = Files.createTempDirectory("tribune-chromium-");
        browser = Chromium.start(profile);
        browser.get("http://127.0.0.1:" + http.getAddress().getPort() + "/");

        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, Object> before = stats();
        while (System.currentTimeMillis() < deadline && field(before, "videoIn", "framesDecoded") == 0) {
            assertThat(pageResult().get("state")).as("page state: %s", pageResult()).isNotEqualTo("error");
            Thread.sleep(250);
            before = stats();
        }
        LoopbackEndpoint endpoint = ENDPOINT.get();
        assertThat(endpoint).as("the page never posted its offer: %s", pageResult()).isNotNull();
        assertThat(field(before, "videoIn", "framesDecoded")).as("no looped video frame decoded in 30 s: %s; "
                + "server %s", before, endpoint.transport().stats()).isPositive();

        Thread.sleep(MEASURE_MILLIS);
        Map<String, Object> after = stats();

        long frames = field(after, "videoIn", "framesDecoded") - field(before, "videoIn", "framesDecoded");
        long audio = field(after, "audioIn", "packetsReceived") - field(before, "audioIn", "packetsReceived");
        TransportStats server = endpoint.transport().stats();
        System.out.printf("Chromium loopback over %d ms: video framesDecoded +%d, audio packetsReceived +%d, "
                        + "page connected after %s ms, DTLS handshake %.1f ms, %s %s%n", MEASURE_MILLIS, frames,
                audio, pageResult().get("connectedMillis"), endpoint.transport().dtlsHandshakeNanos() / 1e6,
                after.get("srtpCipher"), after.get("tlsVersion"));
        System.out.printf("server: %s; %s%n", server, endpoint.forwarding);

        assertThat(after.get("connectionState")).isEqualTo("connected");
        assertThat(after.get("dtlsState")).isEqualTo("connected");
        // The fake camera runs at ~20-30 fps and Opus at 50 packets/s; a loaded 2-core machine still does a
        // fraction of that, a stalled loop does none.
        assertThat(frames).as("looped video frames decoded in %d ms", MEASURE_MILLIS).isGreaterThanOrEqualTo(25);
        assertThat(audio).as("looped audio packets received in %d ms", MEASURE_MILLIS).isGreaterThanOrEqualTo(100);
        assertThat(endpoint.transport().srtpRtpCounters().get(SrtpStatus.AUTHENTICATION_FAILED)).isZero();
        assertThat(server.rtpDelivered()).isPositive();
    }

    @Test
    void forwardsOnePeerConnectionsCameraAndMicrophoneToAnother() throws Exception {
        profile = Files.createTempDirectory("tribune-chromium-");
        browser = Chromium.start(profile);
        browser.get("http://127.0.0.1:" + http.getAddress().getPort() + "/room");

        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, Object> before = part(stats(), "subscriber");
        while (System.currentTimeMillis() < deadline && field(before, "videoIn", "framesDecoded") == 0) {
            assertThat(pageResult().get("state")).as("page state: %s", pageResult()).isNotEqualTo("error");
            Thread.sleep(250);
            before = part(stats(), "subscriber");
        }
        RoomOfTwo room = ROOM.get();
        assertThat(room).as("the page never published: %s", pageResult()).isNotNull();
        assertThat(field(before, "videoIn", "framesDecoded")).as("no forwarded video frame decoded in 30 s: %s",
                stats()).isPositive();

        Thread.sleep(MEASURE_MILLIS);
        Map<String, Object> after = stats();
        Map<String, Object> subscriber = part(after, "subscriber");

        long frames = field(subscriber, "videoIn", "framesDecoded") - field(before, "videoIn", "framesDecoded");
        long audio = field(subscriber, "audioIn", "packetsReceived") - field(before, "audioIn", "packetsReceived");
        System.out.printf("Chromium room of two over %d ms: subscriber video framesDecoded +%d, audio packetsReceived "
                + "+%d; publisher %s; %s; dropped before the subscriber connected %d%n", MEASURE_MILLIS, frames,
                audio, part(after, "publisher"), room.forwarding(), room.droppedBeforeSubscriber.get());

        // Two endpoints share the node's one UDP port, told apart by ICE ufrag.
        assertThat(room.publisher().localTransport().candidates().get(0).port())
                .isEqualTo(room.subscriber().localTransport().candidates().get(0).port());
        assertThat(room.publisher().localTransport().iceUfrag())
                .isNotEqualTo(room.subscriber().localTransport().iceUfrag());
        assertThat(part(after, "publisher").get("connectionState")).isEqualTo("connected");
        assertThat(subscriber.get("connectionState")).isEqualTo("connected");
        assertThat(subscriber.get("dtlsState")).isEqualTo("connected");
        assertThat(frames).as("forwarded video frames decoded in %d ms", MEASURE_MILLIS).isGreaterThanOrEqualTo(25);
        assertThat(audio).as("forwarded audio packets received in %d ms", MEASURE_MILLIS)
                .isGreaterThanOrEqualTo(100);
    }
}
