package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tribune.common.token.SigningKeys;
import io.tribune.common.token.TokenIssuer;
import io.tribune.ops.CliException;
import io.tribune.ops.ServiceMain;
import io.tribune.sfu.load.LoadGenerator;
import io.tribune.sfu.load.TribuneRoomLoad;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench sfu}: the same media load through our SFU node and through Janus's videoroom, CPU per forwarded
 * packet of each server process, and our node's added forwarding latency.
 *
 * <ul>
 *   <li>Ours: the SFU runs as its own JVM ({@code SfuApplication} on a generated configuration, tokens from a key
 *       made for the run); the load client ({@code io.tribune.sfu.load}) runs in this JVM on 127.0.0.1. N
 *       publishers send SRTP Opus-like audio (50 packets/s) and VP8-like video (30 frames/s at the given bitrate,
 *       1,200-byte packets); M subscribers receive every track and decrypt it.</li>
 *   <li>{@code pps_per_core}: packets the subscribers received and decrypted per CPU-second of the SFU process
 *       only ({@code /proc/PID/stat} utime + stime over the window); {@code cpu_ms_per_1000} is its inverse.</li>
 *   <li>{@code latency_p50_ms}/{@code latency_p99_ms}: from the node's {@code sfu_forwarding_latency_seconds}
 *       histogram (socket receive to ice-send), the window's increase only.</li>
 *   <li>Janus 1.1.2: {@link JanusUnderLoad} in its own network namespace, the same load and windows;
 *       {@code cpu_ratio_vs_janus} = ours / Janus, CPU per forwarded packet.</li>
 *   <li>{@code --tap}: a Kafka and a Redis for the node ({@link TapUnderLoad}); after each window without the
 *       media tap, the room is recorded ({@code record_start}) for a window of the same length and stopped again.
 *       {@code tap_cost_pct} = the drop in forwarded packets per CPU-second while tapping, median over the runs
 *       of each tapped window against the untapped one just before it; the {@code bench recording} figure.</li>
 * </ul>
 * Medians over the windows ({@code runs}), after a warm-up.
 */
final class SfuBenchmark implements Benchmark {

    private static final String ISSUER = "tribune-bench";
    private static final String ROOM = "bench-sfu";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    public String name() {
        return "sfu";
    }

    @Override
    public String description() {
        return "SRTP load through our SFU and Janus's videoroom: packets per CPU-second, added latency, delivery"
                + " (pps_per_core, cpu_ratio_vs_janus, latency_p99_ms)";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        int publishers = intArg(args, "--publishers", 4);
        int subscribers = intArg(args, "--subscribers", 8);
        int videoKbps = intArg(args, "--video-kbps", 2500);
        int window = intArg(args, "--seconds", 10);
        int warmup = intArg(args, "--warmup", 40);
        boolean janus = !args.contains("--no-janus");
        boolean tapping = args.contains("--tap");
        Path dir = Files.createTempDirectory("tribune-bench-sfu-");
        System.err.printf(Locale.ROOT, "load: %d publishers (audio + %d kbps video), %d subscribers; %d s warm-up,"
                + " %d windows of %d s; logs in %s%n", publishers, videoKbps, subscribers, warmup, runs, window, dir);

        List<LoadWindow> ours = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<LoadWindow> tapped = new ArrayList<>();
        long tappedPackets = 0;
        long tapDropped = 0;
        double publisherPps;
        SigningKeys keys = SigningKeys.generate();
        TapUnderLoad tap = tapping ? new TapUnderLoad(dir, stringArg(args, "--tap-compression", "none"),
                intArg(args, "--tap-linger-ms", 100)) : null;
        Process sfu = startSfu(dir, keys, tap);
        try {
            String admin = "http://127.0.0.1:" + adminPort(dir);
            awaitHealthy(sfu, admin, dir);
            TokenIssuer issuer = new TokenIssuer(keys, ISSUER, Clock.systemUTC());
            URI signaling = URI.create("ws://127.0.0.1:" + port(dir, "sfu.port") + "/signal");
            try (TribuneRoomLoad room = TribuneRoomLoad.connect(signaling, id -> token(issuer, id), publishers,
                    subscribers, videoKbps, InetAddress.getLoopbackAddress(), Duration.ofSeconds(30));
                 LoadGenerator generator = new LoadGenerator(room.publishers())) {
                generator.start();
                publisherPps = room.publishers().get(0).packetsPerSecond();
                System.err.printf(Locale.ROOT, "ours: connected; %.0f packets/s in, %.0f forwarded expected%n",
                        room.publishers().get(0).packetsPerSecond() * publishers,
                        room.publishers().get(0).packetsPerSecond() * publishers * subscribers);
                if (tap != null) {
                    // The tap's code (and kafka-clients') gets its JIT warm-up too: recorded for half the warm-up.
                    Thread.sleep(warmup * 500L);
                    tap.start(ROOM);
                    Thread.sleep(warmup * 500L);
                    tap.stop(ROOM);
                    Thread.sleep(2_000);
                } else {
                    Thread.sleep(warmup * 1000L);
                }
                for (int run = 1; run <= runs; run++) {
                    Map<Double, Long> before = latencyBuckets(admin);
                    Map<String, long[]> threadsBefore = ThreadCpu.snapshot(sfu.pid());
                    LoadWindow measured = LoadWindow.measure(room, sfu.pid(), Duration.ofSeconds(window));
                    Map<String, long[]> threadsAfter = ThreadCpu.snapshot(sfu.pid());
                    Map<Double, Long> increase = minus(latencyBuckets(admin), before);
                    ours.add(measured);
                    p50s.add(quantile(increase, 0.50) * 1000);
                    p99s.add(quantile(increase, 0.99) * 1000);
                    System.err.printf(Locale.ROOT, "ours run %d/%d: %.0f forwarded/s, %.0f per CPU-second (%.2f ms CPU"
                                    + " per 1,000), delivery %.2f %%, latency p50 %.3f ms p99 %.3f ms%n", run, runs,
                            measured.forwardedPerSecond(), measured.packetsPerCore(), measured.cpuMsPer1000(),
                            measured.deliveryPercent(), p50s.get(run - 1), p99s.get(run - 1));
                    System.err.println("  SFU threads (user+system CPU): "
                            + ThreadCpu.busiest(threadsBefore, threadsAfter, 8));
                    if (tap != null) {
                        tap.start(ROOM);
                        // The tap begins at the next video key frame (every 2 s from the load client), and the
                        // JIT recompiles what the tap's start changed (C2 was busy for seconds after each start).
                        Thread.sleep(8_000);
                        long[] tapBefore = TapUnderLoad.counters(admin);
                        threadsBefore = ThreadCpu.snapshot(sfu.pid());
                        LoadWindow withTap = LoadWindow.measure(room, sfu.pid(), Duration.ofSeconds(window));
                        threadsAfter = ThreadCpu.snapshot(sfu.pid());
                        long[] tapAfter = TapUnderLoad.counters(admin);
                        tap.stop(ROOM);
                        tapped.add(withTap);
                        tappedPackets += tapAfter[0] - tapBefore[0];
                        tapDropped += tapAfter[1] - tapBefore[1];
                        System.err.printf(Locale.ROOT, "tapped run %d/%d: %.0f forwarded/s, %.0f per CPU-second (%.2f"
                                        + " ms CPU per 1,000), %.0f tapped/s, %d dropped%n", run, runs,
                                withTap.forwardedPerSecond(), withTap.packetsPerCore(), withTap.cpuMsPer1000(),
                                (tapAfter[0] - tapBefore[0]) / withTap.seconds(), tapAfter[1] - tapBefore[1]);
                        System.err.println("  SFU threads (user+system CPU): "
                                + ThreadCpu.busiest(threadsBefore, threadsAfter, 8));
                        Thread.sleep(2_000);
                    }
                }
            }
        } finally {
            stop(sfu);
            if (tap != null) {
                tap.close();
            }
        }

        List<LoadWindow> theirs = janus ? runJanus(dir, publishers, subscribers, videoKbps, warmup, window, runs)
                : List.of();
        int packetsPerFrame = (int) Math.round((publisherPps - 50) / 30);
        List<Double> floor = LoopbackSendFloor.measure(publishers, subscribers, packetsPerFrame, window, runs);
        System.err.printf(Locale.ROOT, "floor: sendto alone, same fan-out and rate, %s us CPU per datagram%n",
                floor.stream().map(f -> String.format(Locale.ROOT, "%.2f", f)).toList());
        double floorUs = Benchmarks.median(floor);
        double ourMs = Benchmarks.median(ours.stream().map(LoadWindow::cpuMsPer1000).toList());
        double janusMs = Benchmarks.median(theirs.stream().map(LoadWindow::cpuMsPer1000).toList());
        List<String> pairs = new ArrayList<>(List.of(
                String.format(Locale.ROOT, "pps_per_core=%.0f",
                        Benchmarks.median(ours.stream().map(LoadWindow::packetsPerCore).toList())),
                String.format(Locale.ROOT, "cpu_ms_per_1000=%.2f", ourMs),
                String.format(Locale.ROOT, "janus_cpu_ms_per_1000=%.2f", janusMs),
                String.format(Locale.ROOT, "cpu_ratio_vs_janus=%.2f", ourMs / janusMs),
                String.format(Locale.ROOT, "latency_p50_ms=%.3f", Benchmarks.median(p50s)),
                String.format(Locale.ROOT, "latency_p99_ms=%.3f", Benchmarks.median(p99s)),
                String.format(Locale.ROOT, "delivery_pct=%.2f",
                        Benchmarks.median(ours.stream().map(LoadWindow::deliveryPercent).toList())),
                String.format(Locale.ROOT, "forwarded_per_s=%.0f",
                        Benchmarks.median(ours.stream().map(LoadWindow::forwardedPerSecond).toList())),
                String.format(Locale.ROOT, "janus_pps_per_core=%.0f",
                        Benchmarks.median(theirs.stream().map(LoadWindow::packetsPerCore).toList())),
                String.format(Locale.ROOT, "janus_delivery_pct=%.2f",
                        Benchmarks.median(theirs.stream().map(LoadWindow::deliveryPercent).toList())),
                String.format(Locale.ROOT, "sendto_floor_us=%.2f", floorUs),
                String.format(Locale.ROOT, "floor_pps_per_core=%.0f", 1_000_000 / floorUs),
                "publishers=" + publishers, "subscribers=" + subscribers, "runs=" + runs));
        if (tapping) {
            double withTap = Benchmarks.median(tapped.stream().map(LoadWindow::packetsPerCore).toList());
            double seconds = tapped.stream().mapToDouble(LoadWindow::seconds).sum();
            // Each tapped window against the untapped window just before it (the machine's load drifts).
            List<Double> costs = new ArrayList<>();
            for (int i = 0; i < tapped.size(); i++) {
                costs.add(100 * (1 - tapped.get(i).packetsPerCore() / ours.get(i).packetsPerCore()));
            }
            System.err.println("tap cost per run (%): " + costs.stream()
                    .map(c -> String.format(Locale.ROOT, "%.1f", c)).toList());
            pairs.add(pairs.size() - 3, String.format(Locale.ROOT, "tap_cost_pct=%.1f", Benchmarks.median(costs)));
            pairs.add(pairs.size() - 3, String.format(Locale.ROOT, "tap_pps_per_core=%.0f", withTap));
            pairs.add(pairs.size() - 3, String.format(Locale.ROOT, "tap_cpu_ms_per_1000=%.2f",
                    Benchmarks.median(tapped.stream().map(LoadWindow::cpuMsPer1000).toList())));
            pairs.add(pairs.size() - 3, String.format(Locale.ROOT, "tapped_per_s=%.0f", tappedPackets / seconds));
            pairs.add(pairs.size() - 3, "tap_dropped=" + tapDropped);
            pairs.add(pairs.size() - 3, "tap_compression=" + stringArg(args, "--tap-compression", "none"));
            pairs.add(pairs.size() - 3, "tap_linger_ms=" + intArg(args, "--tap-linger-ms", 100));
        }
        return new Result(pairs);
    }

    private static String token(TokenIssuer issuer, String participantId) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("room", ROOM);
        claims.put("role", "participant");
        claims.put("permissions", List.of("publish", "subscribe"));
        claims.put("name", participantId);
        return issuer.issue(participantId, List.of("sfu"), Duration.ofMinutes(5), claims).token();
    }

    /** Writes the key, the node's configuration, and starts it as a child JVM (which dies with this one). */
    private static Process startSfu(Path dir, SigningKeys keys, TapUnderLoad tap) throws IOException {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, keys.publicJwksJson());
        int signalingPort = freeTcpPort();
        int adminPort = freeTcpPort();
        int mediaPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            mediaPort = probe.getLocalPort();
        }
        Files.writeString(dir.resolve("ports"), "sfu.port=" + signalingPort + "\nsfu.admin=" + adminPort + "\n");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("server", Map.of(
                "applicationConnectors", List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port",
                        signalingPort)),
                "adminConnectors", List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", adminPort)),
                "requestLog", Map.of("appenders", List.of())));
        root.put("logging", Map.of("level", "WARN", "loggers", Map.of("org.ice4j", "ERROR")));
        root.put("media", Map.of("port", mediaPort, "hostAddresses", List.of("127.0.0.1")));
        root.put("tokens", Map.of("issuer", ISSUER, "jwksFile", jwks.toString()));
        // The first join verifies the first token (class loading, JIT): at load average 36 that took over the
        // default 10 s. The benchmark measures forwarding, not joins.
        root.put("signaling", Map.of("joinTimeout", "60 seconds"));
        if (tap != null) {
            tap.configure(root);
        }
        Path config = dir.resolve("sfu.yml");
        new ObjectMapper(new YAMLFactory()).writeValue(config.toFile(), root);
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms256m", "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), ServiceMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()), "io.tribune.sfu.SfuApplication", "server",
                config.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sfu.log").toFile())).start();
    }

    private static void awaitHealthy(Process sfu, String admin, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!sfu.isAlive()) {
                throw new CliException("the SFU exited while starting; see " + dir.resolve("sfu.log"));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/healthcheck")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not up yet.
            }
            Thread.sleep(200);
        }
        throw new CliException("the SFU was not healthy within 180 s; see " + dir.resolve("sfu.log"));
    }

    private static List<LoadWindow> runJanus(Path dir, int publishers, int subscribers, int videoKbps, int warmup,
                                             int window, int runs) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new CliException("bench sfu runs Janus in a network namespace of its own (unshare --net), which"
                    + " needs root; run it as root, or pass --no-janus to measure our SFU alone", 2);
        }
        Path janusDir = Files.createDirectories(dir.resolve("janus"));
        List<String> command = JanusUnderLoad.command(javaBinary(), System.getProperty("java.class.path"), janusDir,
                publishers, subscribers, videoKbps, warmup, window, runs);
        System.err.println("janus: " + String.join(" ", command.subList(0, 4)) + " ... JanusUnderLoad");
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(janusDir.resolve("load.log").toFile())).start();
        List<LoadWindow> windows = new ArrayList<>();
        // SIGTERM, so that the child's own hook stops Janus (unshare execs the JVM: the child is that JVM).
        Thread killChild = new Thread(child::destroy);
        Runtime.getRuntime().addShutdownHook(killChild);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("window ")) {
                    LoadWindow measured = LoadWindow.parse(line);
                    windows.add(measured);
                    System.err.printf(Locale.ROOT, "janus run %d/%d: %.0f forwarded/s, %.0f per CPU-second (%.2f ms CPU"
                                    + " per 1,000), delivery %.2f %%%n", windows.size(), runs,
                            measured.forwardedPerSecond(), measured.packetsPerCore(), measured.cpuMsPer1000(),
                            measured.deliveryPercent());
                }
            }
        }
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        Runtime.getRuntime().removeShutdownHook(killChild);
        if (windows.size() < runs) {
            throw new CliException("the Janus run failed (exit " + child.exitValue() + "); see "
                    + janusDir.resolve("load.log") + " and " + janusDir.resolve("janus.log"));
        }
        return windows;
    }

    /** Cumulative counts by upper bound, from the node's Prometheus text. */
    private static Map<Double, Long> latencyBuckets(String admin) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/prometheus")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<Double, Long> buckets = new TreeMap<>();
        String prefix = "sfu_forwarding_latency_seconds_bucket{le=\"";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                int end = line.indexOf('"', prefix.length());
                String le = line.substring(prefix.length(), end);
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                String value = line.substring(line.lastIndexOf(' ') + 1);
                buckets.put(bound, (long) Double.parseDouble(value));
            }
        }
        if (buckets.isEmpty()) {
            throw new CliException("the SFU's /prometheus has no sfu_forwarding_latency_seconds histogram");
        }
        return buckets;
    }

    private static Map<Double, Long> minus(Map<Double, Long> after, Map<Double, Long> before) {
        Map<Double, Long> out = new TreeMap<>();
        after.forEach((bound, count) -> out.put(bound, count - before.getOrDefault(bound, 0L)));
        return out;
    }

    /** The quantile of cumulative buckets, interpolated linearly inside its bucket (seconds). */
    static double quantile(Map<Double, Long> cumulative, double q) {
        long total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0L);
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        long lowerCount = 0;
        for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                long inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return lowerBound + (bucket.getKey() - lowerBound) * fraction;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int port(Path dir, String key) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("ports"))) {
            if (line.startsWith(key + "=")) {
                return Integer.parseInt(line.substring(key.length() + 1));
            }
        }
        throw new IllegalStateException("no " + key);
    }

    private static int adminPort(Path dir) throws IOException {
        return port(dir, "sfu.admin");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String stringArg(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    private static int intArg(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        if (i >= 0 && i + 1 < args.size()) {
            try {
                int value = Integer.parseInt(args.get(i + 1));
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
            throw new CliException(name + " needs a positive number", 2);
        }
        return fallback;
    }
}
