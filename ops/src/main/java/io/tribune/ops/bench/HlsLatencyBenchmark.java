package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tribune.ops.CliException;
import io.tribune.transcoder.pipeline.GStreamer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSrc;

/**
 * {@code bench hls-latency}: glass-to-glass latency of a town hall, from the moment a source frame is made to the
 * moment headless Chromium's hls.js presents it. The source (in this JVM) draws the wall clock into every 640x360
 * frame ({@link ClockPattern}), encodes it with x264 (ultrafast, zerolatency) into MPEG-TS with AAC, as OBS would,
 * and pushes it over SRT to the real transcoder, which feeds the hls-packager origin; Debian's nginx is the edge in
 * front (signed cookies required) and serves the player page. The page (hls.js, the watch page's low-latency
 * settings) reads the blocks of every frame it presents and posts them with {@code Date.now()}; this JVM decodes
 * them (CRC, plausibility) and takes now - stamped time. Both ends read the same machine clock. Each run is a fresh
 * Chromium: a warm-up while hls.js reaches its live position, then the measured window; stalls are
 * {@code waiting} events after playback started, within the window. Options: {@code --runs N} (3), {@code --seconds S}
 * measured (30), {@code --warmup S} (15), {@code --srt-latency-ms} (120), {@code --part-ms} (the origin's default).
 */
final class HlsLatencyBenchmark implements Benchmark {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int FPS = 30;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The watch page's hls.js settings (web-client watch.js). */
    static final Map<String, Object> PLAYER = Map.of("lowLatencyMode", true, "maxLiveSyncPlaybackRate", 1.5,
            "enableWorker", false, "backBufferLength", 30);

    @Override
    public String name() {
        return "hls-latency";
    }

    @Override
    public String description() {
        return "glass-to-glass latency, clock-stamped source -> SRT -> transcoder -> origin -> edge -> hls.js (p50_s)";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        int seconds = CdnBenchmark.intArg(args, "--seconds", 30);
        int warmup = CdnBenchmark.intArg(args, "--warmup", 15);
        int srtLatency = CdnBenchmark.intArg(args, "--srt-latency-ms", 120);
        // The origin's part target (PART-HOLD-BACK = 3 x): by default the origin's own (0.5 s).
        Duration partTarget = args.contains("--part-ms")
                ? Duration.ofMillis(CdnBenchmark.intArg(args, "--part-ms", 500)) : null;
        if (!Files.isExecutable(CHROMIUM)) {
            throw new CliException("bench hls-latency needs Chromium: apt-get install chromium");
        }
        Path dir = Files.createTempDirectory("tribune-bench-hls-latency");
        System.err.println("bench hls-latency: working in " + dir);
        Path www = Files.createDirectories(dir.resolve("www"));
        copyPlayer(www);
        List<Double> p50s = new ArrayList<>();
        List<Double> p95s = new ArrayList<>();
        List<Double> stalls = new ArrayList<>();
        List<Double> pdtP50s = new ArrayList<>();
        long totalStalls = 0;
        int reconnects = 0;
        LinkedBlockingQueue<JsonNode> reports = new LinkedBlockingQueue<>();
        HttpServer server = reportServer(reports);
        ClockSource source = null;
        try (TownHallRig rig = TownHallRig.start(dir, www, Duration.ofMillis(srtLatency), partTarget)) {
            source = ClockSource.start(rig.srtUrl(), srtLatency);
            rig.awaitLive(Duration.ofSeconds(120));
            System.err.println("live through the edge at " + rig.edgeBase());
            String report = "http://127.0.0.1:" + server.getAddress().getPort() + "/report";
            for (int run = 1; run <= runs; run++) {
                if (!rig.healthy()) {
                    throw new CliException("the origin or the edge exited before run " + run + "; see " + dir);
                }
                if (source.failure() != null) {
                    // On a loaded machine the transcoder may drop the presenter; OBS would reconnect, so does ours.
                    System.err.println("the source stopped (" + source.failure() + "); reconnecting");
                    source.stop();
                    source = ClockSource.start(rig.srtUrl(), srtLatency);
                    reconnects++;
                    rig.awaitLive(Duration.ofSeconds(120));
                }
                RunResult r = measure(rig, dir.resolve("chromium-" + run), report, reports, warmup, seconds);
                p50s.add(r.p50());
                p95s.add(r.p95());
                stalls.add((double) r.stalls());
                totalStalls += r.stalls();
                pdtP50s.add(r.pdtP50());
                System.err.printf(Locale.ROOT, "run %d/%d: glass-to-glass p50 %.3f s, p95 %.3f s (from the "
                                + "transcoder's stamp: p50 %.3f s), min %.3f s, max "
                                + "%.3f s (%d frames read, %d unreadable), stalls %d, heights %s, hls.js latency "
                                + "%s s (target %s s), errors %s%n", run, runs, r.p50(), r.p95(), r.pdtP50(), r.min(),
                        r.max(), r.frames(), r.unreadable(), r.stalls(), r.heights(), r.hlsLatency(), r.hlsTarget(),
                        r.errors());
            }
        } finally {
            if (source != null) {
                source.stop();
            }
            server.stop(0);
        }
        CdnBenchmark.deleteTree(dir); // kept when the run failed, for its logs
        return new Result(List.of(
                String.format(Locale.ROOT, "p50_s=%.2f", Benchmarks.median(p50s)),
                String.format(Locale.ROOT, "p95_s=%.2f", Benchmarks.median(p95s)),
                String.format(Locale.ROOT, "stalls=%.0f", Benchmarks.median(stalls)),
                String.format(Locale.ROOT, "from_transcoder_p50_s=%.2f", Benchmarks.median(pdtP50s)),
                "stalls_total=" + totalStalls, "presenter_reconnects=" + reconnects,
                "part_ms=" + (partTarget == null ? "default" : partTarget.toMillis()),
                "seconds=" + seconds, "runs=" + runs));
    }

    /** pdtP50: the median of now - hls.playingDate, i.e. from the transcoder's capture stamp to display. */
    record RunResult(double p50, double p95, double pdtP50, double min, double max, int frames, int unreadable,
                     long stalls, Map<Integer, Integer> heights, String hlsLatency, String hlsTarget, String errors) {
    }

    private static RunResult measure(TownHallRig rig, Path profile, String report,
                                     LinkedBlockingQueue<JsonNode> reports, int warmup, int seconds)
            throws Exception {
        reports.clear();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cookies", rig.cookies(Instant.now().plusSeconds(900)));
        params.put("playlist", "/hls/" + TownHallRig.EVENT + "/master.m3u8");
        params.put("report", report);
        params.put("geometry", JSON.readTree(ClockPattern.geometryJson()));
        params.put("hls", PLAYER);
        String url = rig.edgeBase() + "/index.html#" + URLEncoder.encode(JSON.writeValueAsString(params),
                StandardCharsets.UTF_8).replace("+", "%20");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", "--user-data-dir=" + profile, "--window-size=800,600",
                url).redirectErrorStream(true).redirectOutput(Files.createDirectories(profile).resolve("chromium.log")
                .toFile()).start();
        try {
            // Warm-up: from the first frame read, while hls.js finds its live position.
            long firstFrameDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            JsonNode last = null;
            while (last == null || !last.path("playing").asBoolean() || last.path("samples").isEmpty()) {
                JsonNode next = reports.poll(1, TimeUnit.SECONDS);
                if (next != null) {
                    last = next;
                }
                if (!chromium.isAlive()) {
                    throw new CliException("Chromium exited; see " + profile.resolve("chromium.log"));
                }
                if (System.nanoTime() > firstFrameDeadline) {
                    throw new CliException("the player presented no frame within 90 s (last report: " + last + ")");
                }
            }
            long stallsBefore = last.path("stalls").asLong();
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            while (System.nanoTime() < warmupEnd) {
                JsonNode next = reports.poll(1, TimeUnit.SECONDS);
                if (next != null) {
                    last = next;
                    stallsBefore = last.path("stalls").asLong();
                }
            }
            List<Double> latencies = new ArrayList<>();
            List<Double> fromTranscoder = new ArrayList<>();
            Map<Integer, Integer> heights = new TreeMap<>();
            int unreadable = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                JsonNode next = reports.poll(1, TimeUnit.SECONDS);
                if (next == null) {
                    continue;
                }
                last = next;
                for (JsonNode sample : next.path("samples")) {
                    double[] lumas = new double[ClockPattern.BLOCKS];
                    JsonNode values = sample.path("l");
                    for (int i = 0; i < lumas.length && i < values.size(); i++) {
                        lumas[i] = values.get(i).asDouble();
                    }
                    long shown = sample.path("t").asLong();
                    OptionalLong captured = values.size() == ClockPattern.BLOCKS
                            ? ClockPattern.decode(lumas, shown) : OptionalLong.empty();
                    if (captured.isPresent()) {
                        latencies.add((shown - captured.getAsLong()) / 1000.0);
                        if (sample.path("pdt").isNumber()) {
                            fromTranscoder.add(sample.path("pdt").asDouble() / 1000.0);
                        }
                        heights.merge(sample.path("h").asInt(), 1, Integer::sum);
                    } else {
                        unreadable++;
                    }
                }
            }
            if (latencies.isEmpty()) {
                throw new CliException("no readable frame in the window (" + unreadable + " unreadable; last report "
                        + last + ")");
            }
            latencies.sort(null);
            fromTranscoder.sort(null);
            long stalls = last.path("stalls").asLong() - stallsBefore;
            double pdt = fromTranscoder.isEmpty() ? Double.NaN : percentile(fromTranscoder, 0.50);
            return new RunResult(percentile(latencies, 0.50), percentile(latencies, 0.95), pdt, latencies.get(0),
                    latencies.get(latencies.size() - 1), latencies.size(), unreadable, stalls, heights,
                    last.path("latency").asText(), last.path("targetLatency").asText(),
                    last.path("errors").toString());
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroy);
            chromium.destroy();
            if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly();
            }
        }
    }

    static double percentile(List<Double> sorted, double fraction) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(fraction * sorted.size())));
    }

    /** The page and hls.js (the WebJar the web client serves) into the edge's static directory. */
    private static void copyPlayer(Path www) throws IOException {
        try (InputStream page = HlsLatencyBenchmark.class.getResourceAsStream("hls-latency.html")) {
            Files.copy(page, www.resolve("index.html"));
        }
        Properties webjar = new Properties();
        try (InputStream in = HlsLatencyBenchmark.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/hls.js/pom.properties")) {
            if (in == null) {
                throw new CliException("the hls.js WebJar is not on the classpath");
            }
            webjar.load(in);
        }
        String path = "META-INF/resources/webjars/hls.js/" + webjar.getProperty("version") + "/dist/hls.min.js";
        try (InputStream in = HlsLatencyBenchmark.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new CliException("missing " + path);
            }
            Files.copy(in, www.resolve("hls.min.js"));
        }
    }

    /** Takes the page's reports (cross-origin, no-cors POSTs of JSON as text). */
    private static HttpServer reportServer(LinkedBlockingQueue<JsonNode> reports) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/report", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                try {
                    reports.add(JSON.readTree(body));
                    exchange.sendResponseHeaders(204, -1);
                } catch (IOException e) {
                    exchange.sendResponseHeaders(400, -1);
                }
            }
        });
        server.start();
        return server;
    }

    /**
     * The presenter: 640x360 frames at 30 fps with the wall clock drawn in as they are made (an appsrc fed from a
     * thread of this JVM), x264 ultrafast zerolatency, AAC, MPEG-TS over SRT (caller) to the transcoder.
     */
    static final class ClockSource {
        private final Pipeline pipeline;
        private final Thread feeder;
        private final AtomicReference<String> failure = new AtomicReference<>();
        private volatile boolean running = true;

        private ClockSource(Pipeline pipeline, AppSrc appsrc) {
            this.pipeline = pipeline;
            this.feeder = new Thread(() -> feed(appsrc), "clock-source");
            this.feeder.setDaemon(true);
        }

        static ClockSource start(String srtUrl, int latencyMillis) {
            GStreamer.init();
            String uri = srtUrl.substring(0, srtUrl.indexOf('?'));
            String streamId = srtUrl.substring(srtUrl.indexOf("streamid=") + "streamid=".length());
            Pipeline pipeline = (Pipeline) Gst.parseLaunch("appsrc name=clock is-live=true format=time"
                    + " do-timestamp=true caps=video/x-raw,format=I420,width=" + WIDTH + ",height=" + HEIGHT
                    + ",framerate=" + FPS + "/1 ! queue max-size-buffers=3 ! x264enc tune=zerolatency"
                    + " speed-preset=ultrafast key-int-max=" + FPS + " bitrate=1500 ! h264parse config-interval=-1"
                    + " ! queue ! mpegtsmux name=mux alignment=7 ! srtsink uri=" + uri + " streamid=" + streamId
                    + " latency=" + latencyMillis + " wait-for-connection=false"
                    + " audiotestsrc is-live=true wave=sine volume=0.1 ! audioconvert ! audioresample"
                    + " ! audio/x-raw,rate=48000,channels=2 ! avenc_aac bitrate=96000 ! aacparse ! queue ! mux.");
            AppSrc appsrc = (AppSrc) pipeline.getElementByName("clock");
            ClockSource source = new ClockSource(pipeline, appsrc);
            Bus bus = pipeline.getBus();
            bus.connect((Bus.ERROR) (element, code, message) -> source.failure.compareAndSet(null,
                    element.getName() + ": " + message));
            pipeline.play();
            source.feeder.start();
            return source;
        }

        String failure() {
            return failure.get();
        }

        private void feed(AppSrc appsrc) {
            byte[] frame = new byte[WIDTH * HEIGHT * 3 / 2];
            long start = System.nanoTime();
            long period = 1_000_000_000L / FPS;
            for (long n = 0; running; n++) {
                long due = start + n * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                // The capture: the clock is read as the frame is made, then drawn into it.
                ClockPattern.draw(frame, WIDTH, HEIGHT, System.currentTimeMillis());
                Buffer buffer = new Buffer(frame.length);
                buffer.map(true).put(frame);
                buffer.unmap();
                FlowReturn flow = appsrc.pushBuffer(buffer);
                if (flow != FlowReturn.OK) {
                    failure.compareAndSet(null, "appsrc: " + flow);
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            feeder.interrupt();
            feeder.join(2000);
            pipeline.stop();
            pipeline.dispose();
        }
    }
}
