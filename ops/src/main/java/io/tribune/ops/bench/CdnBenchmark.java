package io.tribune.ops.bench;

import io.tribune.hls.edge.NginxEdge;
import io.tribune.hls.ingest.IngestFeeder;
import io.tribune.hls.ingest.SyntheticMedia;
import io.tribune.ops.CliException;
import io.tribune.transcoder.pipeline.Rung;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench cdn}: a live town hall (a two-rung ladder of ffmpeg's test signal, encoded once before anything is
 * measured and fed at real-time pace into the hls-packager origin's ingest port, as the transcoder sends it; the
 * origin requires signatures) behind Debian's nginx with our edge configuration, and N simulated low-latency viewers
 * ({@link LlHlsViewer}: blocking playlist reloads and part fetches, each with its own signed cookies, half on each
 * rung) polling through the edge for a fixed time per run. It measures the CDN path (edge and origin), not the
 * transcoder ({@code bench transcode} does that): running the x264 ladder on the same two cores starved the edge.
 * Offload = the edge's media and playlist requests that did not reach the origin (the origin's own request log) /
 * all of them (the edge's access log); nginx's {@code $upstream_cache_status} gives the cross-check
 * ({@code edge_hit_pct}: HIT, UPDATING and STALE, the answers from its cache). Origin requests per part = the origin's
 * media and playlist requests / the parts published meanwhile (both rungs). Options: {@code --viewers N} (1,000),
 * {@code --seconds S} per run (40), {@code --clients N} viewer client threads (2; each an {@link EdgeHttpClient}
 * loop), {@code --runs N} (3), {@code --keep} (keep the working directory with the origin's and the edge's logs).
 */
final class CdnBenchmark implements Benchmark {

    private static final Pattern PART_NUMBER = Pattern.compile("/p(\\d+)\\.m4s\"");
    private static final String COUNTER_AGENT = "tribune-bench-part-counter";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The encoded clip the source loops: five 2 s segments. */
    private static final int CLIP_SECONDS = 10;

    @Override
    public String name() {
        return "cdn";
    }

    @Override
    public String description() {
        return "1,000 LL-HLS viewers through the nginx edge: offload_pct, origin_requests_per_part";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        int viewers = intArg(args, "--viewers", 1000);
        int seconds = intArg(args, "--seconds", 40);
        int clients = intArg(args, "--clients", 2);
        Path dir = Files.createTempDirectory("tribune-bench-cdn");
        System.err.println("bench cdn: working in " + dir);
        Path www = Files.createDirectories(dir.resolve("www"));
        Source source = null;
        List<Double> offloads = new ArrayList<>();
        List<Double> hitPcts = new ArrayList<>();
        List<Double> perPart = new ArrayList<>();
        List<Double> authPerSecond = new ArrayList<>();
        List<Double> requestsPerSecond = new ArrayList<>();
        List<Double> originCpu = new ArrayList<>();
        List<Double> edgeCpu = new ArrayList<>();
        List<Double> clientCpu = new ArrayList<>();
        long failuresTotal = 0;
        int restarts = 0;
        long pauses = 0;
        // Encoded once, before anything is measured: the bench measures the edge and the origin, not an encoder.
        SyntheticMedia.Stream clip = SyntheticMedia.generate(Files.createDirectories(dir.resolve("media")),
                CLIP_SECONDS, TownHallRig.LADDER.rungs().stream().map(r -> new SyntheticMedia.VideoRung(r.name(),
                        r.width(), r.height(), r.bitrateKbps())).toList());
        // Long enough for every run, the pauses between them and a slow start; the payloads are shared.
        int loops = (runs * (seconds + 30) + 300) / CLIP_SECONDS + 1;
        SyntheticMedia.Stream live = SyntheticMedia.loop(clip, loops);
        try (TownHallRig rig = TownHallRig.startWithoutTranscoder(dir, www, null)) {
            source = new Source(rig.ingestPort(), live);
            source.ensureRunning();
            rig.awaitLive(Duration.ofSeconds(120));
            System.err.println("live through the edge at " + rig.edgeBase());
            // The viewers' HTTP client: NIO event loops (one thread each), so the load client costs little of the
            // two cores the edge and the origin share with it.
            InetSocketAddress edgeAddress = new InetSocketAddress("127.0.0.1", rig.edge().port());
            List<EdgeHttpClient> http = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                http.add(new EdgeHttpClient(edgeAddress, "bench-cdn-viewers-" + i));
            }
            try {
                for (int run = 1; run <= runs; run++) {
                    if (!rig.healthy()) {
                        throw new CliException("the origin or the edge exited before run " + run + "; see " + dir);
                    }
                    source.ensureRunning();
                    rig.awaitLive(Duration.ofSeconds(120));
                    long pausesBefore = source.pauses.get();
                    Window w = measure(rig, viewers, seconds, http);
                    long runPauses = source.pauses.get() - pausesBefore;
                    offloads.add(w.offloadPct());
                    hitPcts.add(w.edgeHitPct());
                    perPart.add(w.originPerPart());
                    authPerSecond.add(w.originAuth / (double) seconds);
                    requestsPerSecond.add(w.edgeRequests / (double) seconds);
                    failuresTotal += w.failures;
                    originCpu.add(w.cpuPct()[0]);
                    edgeCpu.add(w.cpuPct()[1]);
                    clientCpu.add(w.cpuPct()[2]);
                    System.err.printf(Locale.ROOT, "run %d/%d: %d viewers, %d edge requests (%.0f/s; client counted "
                                    + "%d, %d failed), origin %d media/playlist + %d auth, parts published %d, "
                                    + "offload %.2f %%, edge HIT %.2f %% %s, origin requests per part %.2f%n", run,
                            runs, viewers, w.edgeRequests, w.edgeRequests / (double) seconds, w.clientRequests,
                            w.failures, w.originHls, w.originAuth, w.parts, w.offloadPct(), w.edgeHitPct(),
                            w.statuses, w.originPerPart());
                    System.err.printf(Locale.ROOT, "run %d/%d: CPU (%% of one core) origin %.0f, edge %.0f, viewers + "
                                    + "source %.0f; source paused %d times (starved > 1 s); load average %s%n", run,
                            runs, w.cpuPct()[0], w.cpuPct()[1], w.cpuPct()[2], runPauses, loadAverage());
                }
            } finally {
                for (EdgeHttpClient client : http) {
                    client.close();
                }
            }
        } finally {
            if (source != null) {
                source.stop();
                restarts = source.restarts();
                pauses = source.pauses.get();
            }
        }
        if (!args.contains("--keep")) {
            deleteTree(dir); // kept when the run failed, for its logs
        }
        return new Result(List.of("viewers=" + viewers,
                String.format(Locale.ROOT, "offload_pct=%.2f", Benchmarks.median(offloads)),
                String.format(Locale.ROOT, "origin_requests_per_part=%.2f", Benchmarks.median(perPart)),
                String.format(Locale.ROOT, "edge_hit_pct=%.2f", Benchmarks.median(hitPcts)),
                String.format(Locale.ROOT, "edge_requests_per_s=%.0f", Benchmarks.median(requestsPerSecond)),
                String.format(Locale.ROOT, "origin_auth_per_s=%.1f", Benchmarks.median(authPerSecond)),
                String.format(Locale.ROOT, "origin_cpu_pct=%.0f", Benchmarks.median(originCpu)),
                String.format(Locale.ROOT, "edge_cpu_pct=%.0f", Benchmarks.median(edgeCpu)),
                String.format(Locale.ROOT, "client_cpu_pct=%.0f", Benchmarks.median(clientCpu)),
                "viewer_failures=" + failuresTotal, "source_reconnects=" + restarts, "source_pauses=" + pauses,
                "seconds=" + seconds,
                "runs=" + runs));
    }

    /**
     * The live source: a clip encoded once before the measurement ({@link SyntheticMedia}, on the rig's ladder),
     * played in a loop into the origin's ingest listener at real-time pace by {@link IngestFeeder} on a thread of its
     * own, as the transcoder would send it. Restarted (a new timeline, as a reconnecting transcoder's) if it ends.
     */
    private static final class Source {
        private final int ingestPort;
        private final SyntheticMedia.Stream stream;
        private Thread thread;
        private volatile Exception failure;
        private int starts;
        /** Times the feeder was starved for more than a second and went on from there instead of bursting. */
        final AtomicLong pauses = new AtomicLong();

        Source(int ingestPort, SyntheticMedia.Stream stream) {
            this.ingestPort = ingestPort;
            this.stream = stream;
        }

        void ensureRunning() {
            if (thread != null && thread.isAlive()) {
                return;
            }
            if (thread != null) {
                System.err.println("the source's ingest connection ended (" + failure + "); reconnecting");
            }
            starts++;
            thread = new Thread(() -> {
                try {
                    IngestFeeder.feed(ingestPort, TownHallRig.EVENT, "", stream, 1.0, true, pauses);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failure = e;
                }
            }, "bench-cdn-source");
            thread.setDaemon(true);
            thread.start();
        }

        int restarts() {
            return Math.max(0, starts - 1);
        }

        void stop() throws InterruptedException {
            if (thread != null) {
                thread.interrupt();
                thread.join(5000);
            }
        }
    }

    /** One run's counts. */
    private record Window(long edgeRequests, long clientRequests, long failures, long originHls, long originAuth,
                          long parts, long hits, Map<String, Integer> statuses, double[] cpuPct) {
        double offloadPct() {
            return 100.0 * (edgeRequests - originHls) / edgeRequests;
        }

        double edgeHitPct() {
            return 100.0 * hits / edgeRequests;
        }

        double originPerPart() {
            return parts == 0 ? Double.NaN : originHls / (double) parts;
        }
    }

    private static Window measure(TownHallRig rig, int viewers, int seconds, List<EdgeHttpClient> http)
            throws Exception {
        int clients = http.size();
        // Each viewer gets its own cookies (the api-server signs one pass per audience member).
        List<String> cookies = new ArrayList<>(viewers);
        Instant now = Instant.now();
        for (int i = 0; i < viewers; i++) {
            cookies.add(TownHallRig.cookieHeader(rig.cookies(now.plusSeconds(600 + i))));
        }
        List<Rung> rungs = TownHallRig.LADDER.rungs();
        long partsBefore = lastParts(rig);
        int edgeBefore = Files.exists(rig.edge().accessLog()) ? Files.readAllLines(rig.edge().accessLog()).size() : 0;
        int originBefore = rig.originLog().size();
        LlHlsViewer.Counters counters = new LlHlsViewer.Counters();
        List<LlHlsViewer> all = new ArrayList<>();
        double[] cpuBefore = cpu(rig);
        long start = System.nanoTime();
        // Viewers join over the first 5 s, in random order, as an audience arriving does.
        for (int i = 0; i < viewers; i++) {
            String playlist = "/hls/" + TownHallRig.EVENT + "/" + rungs.get(i % rungs.size()).name() + "/index.m3u8";
            EdgeHttpClient client = http.get(i % clients);
            LlHlsViewer viewer = new LlHlsViewer(client, playlist, cookies.get(i), counters);
            all.add(viewer);
            client.schedule(ThreadLocalRandom.current().nextLong(5000), viewer::start);
        }
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
        }
        all.forEach(LlHlsViewer::stop);
        double[] cpuAfter = cpu(rig);
        double wall = (System.nanoTime() - start) / 1e9;
        double[] cpuPct = new double[3];
        for (int i = 0; i < 3; i++) {
            cpuPct[i] = 100.0 * (cpuAfter[i] - cpuBefore[i]) / wall;
        }
        long partsAfter = lastParts(rig);
        // In-flight blocking reloads are answered within a part (0.5 s); give the logs a moment.
        Thread.sleep(3000);
        // A new audience next run: these viewers' connections go.
        for (EdgeHttpClient client : http) {
            client.closeConnections();
        }
        List<String> edgeLines = Files.readAllLines(rig.edge().accessLog());
        List<String> edgeWindow = edgeLines.subList(Math.min(edgeBefore, edgeLines.size()), edgeLines.size());
        Map<String, Integer> statuses = NginxEdge.cacheStatuses(edgeWindow, false);
        long edgeRequests = statuses.values().stream().mapToLong(Integer::longValue).sum();
        List<String> originLines = rig.originLog();
        List<String> originWindow = originLines.subList(Math.min(originBefore, originLines.size()),
                originLines.size());
        // The bench's own two playlist requests per count (lastParts) are not viewers' requests.
        long originHls = originWindow.stream().filter(l -> l.contains("\"GET /hls/") && !l.contains(COUNTER_AGENT))
                .count();
        long originAuth = originWindow.stream().filter(l -> l.contains("\"GET /auth")).count();
        if (edgeRequests == 0) {
            throw new CliException("the viewers made no requests through the edge");
        }
        if (counters.failures.get() > 0) {
            System.err.println("viewer failures: " + counters.failureKinds);
        }
        return new Window(edgeRequests, counters.requests.get(), counters.failures.get(), originHls, originAuth,
                partsAfter - partsBefore, statuses.getOrDefault("HIT", 0) + statuses.getOrDefault("UPDATING", 0)
                + statuses.getOrDefault("STALE", 0), statuses, cpuPct);
    }

    /** CPU seconds so far of the origin, the edge (nginx's master and workers) and this JVM (viewers and source). */
    private static double[] cpu(TownHallRig rig) throws IOException {
        double edge = ProcessCpu.seconds(rig.edge().pid());
        for (ProcessHandle worker : ProcessHandle.of(rig.edge().pid()).map(p -> p.children().toList())
                .orElse(List.of())) {
            try {
                edge += ProcessCpu.seconds(worker.pid());
            } catch (IOException gone) {
                // a worker that exited meanwhile
            }
        }
        return new double[] {ProcessCpu.seconds(rig.originPid()), edge,
            ProcessCpu.seconds(ProcessHandle.current().pid())};
    }

    /** The sum over the rungs of the newest part number (from the origin directly: a signed request). */
    private static long lastParts(TownHallRig rig) throws Exception {
        String cookie = TownHallRig.cookieHeader(rig.cookies(Instant.now().plusSeconds(600)));
        long sum = 0;
        for (Rung rung : TownHallRig.LADDER.rungs()) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(rig.originBase() + "/hls/"
                            + TownHallRig.EVENT + "/" + rung.name() + "/index.m3u8")).header("Cookie", cookie)
                    .header("User-Agent", COUNTER_AGENT).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long newest = -1;
            Matcher m = PART_NUMBER.matcher(response.body());
            while (m.find()) {
                newest = Math.max(newest, Long.parseLong(m.group(1)));
            }
            if (response.statusCode() != 200 || newest < 0) {
                throw new CliException("the origin's " + rung.name() + " playlist has no parts (HTTP "
                        + response.statusCode() + ")");
            }
            sum += newest;
        }
        return sum;
    }

    /** The machine's 1, 5 and 15 minute load averages (the bench shares it; a loaded machine says so). */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    static int intArg(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(args.get(i + 1));
            if (value > 0) {
                return value;
            }
        } catch (IndexOutOfBoundsException | NumberFormatException ignored) {
            // fall through
        }
        throw new CliException(name + " needs a positive number", 2);
    }
}
