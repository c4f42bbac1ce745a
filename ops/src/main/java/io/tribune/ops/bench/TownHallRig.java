package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import io.tribune.hls.edge.NginxEdge;
import io.tribune.ops.CliException;
import io.tribune.ops.ServiceMain;
import io.tribune.transcoder.TownHallTranscoder;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.SrtLibrary;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A live town hall for the HLS benchmarks, as in production: the hls-packager origin (its own JVM, signatures
 * required, its request log in a file), the real transcoder (in this JVM: an SRT listener, decode, the x264 ladder,
 * the ingest connection to the origin) and Debian's nginx as the caching edge with our configuration. A source is
 * then pushed to {@link #srtUrl()}; viewers use {@link #edgeBase()} with signed cookies from {@link #cookies}.
 * {@link #startWithoutTranscoder} leaves the transcoder out: pre-encoded media is then fed to {@link #ingestPort()}
 * (bench cdn, which measures the edge and the origin, not the encoder).
 */
final class TownHallRig implements AutoCloseable {

    static final String EVENT = "benchhall";
    static final String CDN_BASE = "https://cdn.bench.test";
    /** A 640x360 source gets these two rungs (as TownHallAudienceIT: a ladder that fits two shared cores). */
    static final Ladder LADDER = new Ladder(List.of(new Rung("360p", 640, 360, 600), new Rung("180p", 320, 180, 250)));
    private static final String KEY_ID = "KBENCH";
    private static final String STREAM_KEY = "bench-stream-key-01";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final CloudFrontSigner signer;
    private final Process packager;
    private final int originPort;
    private final int ingestPort;
    /** Null when the rig runs without one (media is fed to {@link #ingestPort} instead). */
    private final TownHallTranscoder transcoder;
    private final int srtPort;
    private final NginxEdge edge;

    private TownHallRig(Path dir, CloudFrontSigner signer, Process packager, int originPort, int ingestPort,
                        TownHallTranscoder transcoder, int srtPort, NginxEdge edge) {
        this.dir = dir;
        this.signer = signer;
        this.packager = packager;
        this.originPort = originPort;
        this.ingestPort = ingestPort;
        this.transcoder = transcoder;
        this.srtPort = srtPort;
        this.edge = edge;
    }

    /**
     * Starts the origin, the transcoder and the edge (serving {@code www} at /).
     *
     * @param srtLatency the SRT receive latency of the transcoder's listener (the service's default: 120 ms)
     * @param partTarget the origin's PART-TARGET, with PART-HOLD-BACK three times it; null: the origin's defaults
     */
    static TownHallRig start(Path dir, Path www, Duration srtLatency, Duration partTarget) throws Exception {
        return start(dir, www, srtLatency, partTarget, true);
    }

    /**
     * Starts the origin and the edge only; the caller feeds the event {@link #EVENT} to {@link #ingestPort()} (with
     * an empty key: the origin's ingest listener accepts any on loopback).
     */
    static TownHallRig startWithoutTranscoder(Path dir, Path www, Duration partTarget) throws Exception {
        return start(dir, www, null, partTarget, false);
    }

    private static TownHallRig start(Path dir, Path www, Duration srtLatency, Duration partTarget,
                                     boolean withTranscoder) throws Exception {
        if (!NginxEdge.available()) {
            throw new CliException("the HLS benchmarks need nginx as the edge: apt-get install nginx-light");
        }
        SrtLibrary.cleanupAtExit();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path publicKey = Files.writeString(dir.resolve("cdn-public.pem"), PemKeys.pem(keys.getPublic()));
        CloudFrontSigner signer = new CloudFrontSigner(KEY_ID, keys.getPrivate());

        int originPort = freeTcpPort();
        int adminPort = freeTcpPort();
        int ingestPort = freeTcpPort();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("server", Map.of(
                "applicationConnectors", List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", originPort,
                        "acceptQueueSize", 1024)),
                "adminConnectors", List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", adminPort)),
                "requestLog", Map.of("appenders", List.of(Map.of("type", "file",
                        "currentLogFilename", dir.resolve("origin-access.log").toString(), "archive", false)))));
        root.put("logging", Map.of("level", "WARN"));
        root.put("ingest", Map.of("port", ingestPort));
        if (partTarget != null) {
            root.put("live", Map.of("partTarget", partTarget.toMillis() + " milliseconds",
                    "partHoldBack", partTarget.multipliedBy(3).toMillis() + " milliseconds"));
        }
        root.put("signatures", Map.of("required", true, "publicBaseUrl", CDN_BASE,
                "allowedOrigins", List.of(CDN_BASE), "trustedKeys", Map.of(KEY_ID, publicKey.toString())));
        root.put("storage", Map.of("enabled", false));
        Path config = dir.resolve("hls-packager.yml");
        new ObjectMapper(new YAMLFactory()).writeValue(config.toFile(), root);
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process packager = new ProcessBuilder(java, "-Xms128m", "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), ServiceMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()), "io.tribune.hls.HlsPackagerApplication", "server",
                config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("hls-packager.log").toFile()).start();
        TownHallTranscoder transcoder = null;
        NginxEdge edge = null;
        try {
            awaitHealthy(packager, "http://127.0.0.1:" + adminPort + "/healthcheck", dir);
            int srtPort = -1;
            if (withTranscoder) {
                try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    srtPort = socket.getLocalPort();
                }
                transcoder = new TownHallTranscoder(EVENT, STREAM_KEY, "127.0.0.1", srtPort, srtLatency, LADDER,
                        EncoderSettings.DEFAULT, new InetSocketAddress(InetAddress.getLoopbackAddress(), ingestPort),
                        "");
                transcoder.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!transcoder.listening()) {
                    if (System.nanoTime() > deadline) {
                        throw new CliException("the transcoder's SRT listener did not open within 60 s");
                    }
                    Thread.sleep(100);
                }
            }
            edge = NginxEdge.start(Files.createDirectories(dir.resolve("edge")), www, originPort);
            return new TownHallRig(dir, signer, packager, originPort, ingestPort, transcoder, srtPort, edge);
        } catch (Exception | Error e) {
            if (edge != null) {
                edge.close();
            }
            if (transcoder != null) {
                transcoder.stop();
            }
            stopProcess(packager);
            throw e;
        }
    }

    /** Where the source pushes MPEG-TS (the stream id is the event's stream key). */
    String srtUrl() {
        if (transcoder == null) {
            throw new IllegalStateException("this rig runs without a transcoder: feed " + ingestPort() + " instead");
        }
        return "srt://127.0.0.1:" + srtPort + "?streamid=" + STREAM_KEY;
    }

    /** The origin's ingest listener (loopback, any key). */
    int ingestPort() {
        return ingestPort;
    }

    String edgeBase() {
        return "http://127.0.0.1:" + edge.port();
    }

    String originBase() {
        return "http://127.0.0.1:" + originPort;
    }

    /** The origin's process id (its own JVM), for CPU accounting. */
    long originPid() {
        return packager.pid();
    }

    NginxEdge edge() {
        return edge;
    }

    Path originAccessLog() {
        return dir.resolve("origin-access.log");
    }

    /** A viewer's signed cookies (as the api-server hands out: a policy over the event's path). */
    Map<String, String> cookies(Instant expires) {
        return signer.cookies(CDN_BASE + "/hls/" + EVENT + "/*", expires);
    }

    static String cookieHeader(Map<String, String> cookies) {
        return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    /** Waits until the edge serves the event's multivariant playlist to a signed request. */
    void awaitLive(Duration timeout) throws IOException, InterruptedException {
        String cookie = cookieHeader(cookies(Instant.now().plusSeconds(600)));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> statuses = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (Rung rung : LADDER.rungs()) {
                URI playlist = URI.create(edgeBase() + "/hls/" + EVENT + "/" + rung.name() + "/index.m3u8");
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(playlist).header("Cookie", cookie)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                statuses.add(response.statusCode());
                if (response.statusCode() != 200 || !response.body().contains("#EXT-X-PART:")) {
                    break;
                }
                if (rung == LADDER.rungs().get(LADDER.rungs().size() - 1)) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new CliException("the event was not live through the edge within " + timeout.toSeconds()
                + " s (last statuses " + statuses.subList(Math.max(0, statuses.size() - 4), statuses.size())
                + "); see " + dir);
    }

    /** Lines in the origin's request log so far. */
    List<String> originLog() throws IOException {
        Path log = originAccessLog();
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The origin and the edge still run (the presenter may come and go: a source reconnects). */
    boolean healthy() {
        return packager.isAlive() && edge.alive();
    }

    @Override
    public void close() throws Exception {
        try {
            edge.close();
        } finally {
            try {
                if (transcoder != null) {
                    transcoder.stop();
                }
            } finally {
                stopProcess(packager);
            }
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void awaitHealthy(Process process, String health, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new CliException("the hls-packager exited while starting; see "
                        + dir.resolve("hls-packager.log"));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(health)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new CliException("the hls-packager was not healthy within 180 s; see " + dir.resolve("hls-packager.log"));
    }

    private static void stopProcess(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
