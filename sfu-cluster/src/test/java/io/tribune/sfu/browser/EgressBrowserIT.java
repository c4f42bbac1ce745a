package io.tribune.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.TestSfuNode;
import io.tribune.sfu.egress.EgressDescription;
import io.tribune.sfu.egress.EgressTarget;
import io.tribune.sfu.egress.StageEgress;
import io.tribune.sfu.egress.StageEgresses;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The room's RTP egress as a transcoder sees it: a headless Chromium publishes a 720p simulcast camera, a
 * microphone and a screen share through the real node; the egress sends them as plain RTP; GStreamer
 * ({@code gst-launch-1.0}, nobody's code here) receives each stream with nothing but the caps of the egress
 * description ({@code udpsrc caps=... ! rtpjitterbuffer ! rtpvp8depay / rtpopusdepay}) into Matroska files, and
 * ffprobe and ffmpeg decode them: the camera at more than the lowest layer's size, no decode errors.
 *
 * <p>Runs under Failsafe in a network namespace with only loopback (src/test/netns-jvm/bin/java).
 */
class EgressBrowserIT {

    private static final String ROOM = "town-hall";
    private static final long CAPTURE_MILLIS = 8_000;

    private static TestSfuNode node;
    private static TestPage page;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(onPath("gst-launch-1.0") && onPath("ffprobe"), "GStreamer and ffmpeg are needed");
        page = TestPage.serve();
        node = new TestSfuNode();
        work = Files.createTempDirectory("tribune-egress-");
    }

    @AfterAll
    static void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        if (node != null) {
            node.close();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void gstreamerReceivesAndFfmpegDecodesTheStageFromTheDescriptionAlone() throws Exception {
        ChromeDriver browser = page.open();
        StageEgresses egresses = node.application().egresses();
        try {
            browser.executeScript("startClient(arguments[0], arguments[1], arguments[2], arguments[3]);", "pres",
                    node.signalingUrl(), node.token("pres", ROOM, "participant", TestSfuNode.EVERYTHING),
                    Map.of("simulcast", true, "width", 1280, "height", 720, "frameRate", 15));
            waitFor("pres to join", 60_000, () -> "joined".equals(summary(browser).get("state")));
            await(browser, "clients.pres.shareScreen()");

            int basePort = freePorts(3);
            EgressDescription started = egresses.start(ROOM, EgressTarget.of("127.0.0.1", basePort));
            waitFor("camera, screen and microphone in the egress description", 30_000, () ->
                    egresses.description(ROOM).orElseThrow().streams().size() == 3);
            EgressDescription description = egresses.description(ROOM).orElseThrow();
            System.out.printf("egress started (version %d), now:%n%s%n", started.version(), description.toSdp());
            assertThat(description.streams()).extracting(EgressDescription.Stream::source)
                    .containsExactlyInAnyOrder("camera", "screen", "microphone");
            assertThat(description.streams()).allSatisfy(s -> assertThat(s.participantId()).isEqualTo("pres"));

            // Let Chromium's bandwidth estimate bring up the upper simulcast layers (transport-cc from the node).
            waitFor("pres's medium or high layer to be encoded", 30_000, () -> highestEncodedWidth(browser) >= 640);

            Map<String, Path> files = capture(description);
            StageEgress egress = egresses.egress(ROOM).orElseThrow();
            System.out.printf("egress sent %s; pres sends %s; egress pipeline %s%n", egress.packetsSent(),
                    await(browser, "clients.pres.sendStats()"), egress.pipeline().stats());

            for (EgressDescription.Stream stream : description.streams()) {
                Path file = files.get(stream.source());
                assertThat(file).as("%s captured", stream.source()).exists();
                List<String> frames = probeFrames(file, stream.media());
                String errors = decodeErrors(file);
                System.out.printf("%s (%s, port %d): %d frames decoded by ffprobe%s%n", stream.source(),
                        stream.encodingName(), stream.port(), frames.size(),
                        errors.isEmpty() ? ", no ffmpeg decode errors" : ", ffmpeg: " + errors);
                assertThat(errors).as("ffmpeg decoding %s", stream.source()).isEmpty();
                switch (stream.source()) {
                    // 15 fps; the first key frame comes within the 3 s refresh after GStreamer listens.
                    case "camera" -> {
                        assertThat(frames.size()).as("camera frames").isGreaterThanOrEqualTo(20);
                        int widest = frames.stream().mapToInt(f -> Integer.parseInt(f.split(",")[0])).max()
                                .orElse(0);
                        System.out.printf("camera frame widths seen: %s%n", frames.stream().distinct().toList());
                        assertThat(widest).as("camera width: above the 320 px lowest layer")
                                .isGreaterThanOrEqualTo(640);
                    }
                    case "screen" -> assertThat(frames.size()).as("screen frames").isGreaterThanOrEqualTo(5);
                    // Opus: 50 packets a second.
                    default -> assertThat(frames.size()).as("microphone frames").isGreaterThanOrEqualTo(100);
                }
            }

            // Stopping ends the stream: nothing more is sent.
            assertThat(egresses.stop(ROOM)).isTrue();
            assertThat(egresses.description(ROOM)).isEmpty();
            long after = egress.packetsSent().values().stream().mapToLong(Long::longValue).sum();
            Thread.sleep(1_000);
            assertThat(egress.packetsSent().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(after);
        } catch (AssertionError | RuntimeException e) {
            System.out.println("pres: " + summary(browser));
            egresses.egress(ROOM).ifPresent(egress -> System.out.println("egress " + egress.packetsSent() + " "
                    + egress.pipeline().stats()));
            throw e;
        } finally {
            egresses.stop(ROOM);
            page.closeBrowsers();
        }
    }

    /**
     * Runs gst-launch-1.0 for {@link #CAPTURE_MILLIS} with one branch per stream, built from the description's caps
     * only, each into a Matroska file; returns the files by source.
     */
    private static Map<String, Path> capture(EgressDescription description) throws Exception {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-e"));
        Map<String, Path> files = new HashMap<>();
        for (EgressDescription.Stream stream : description.streams()) {
            Path file = work.resolve(stream.source() + ".mkv");
            files.put(stream.source(), file);
            String depay = switch (stream.encodingName()) {
                case "VP8" -> "rtpvp8depay wait-for-keyframe=true";
                case "H264" -> "rtph264depay ! h264parse";
                default -> "rtpopusdepay ! opusparse";
            };
            command.addAll(List.of("udpsrc", "address=127.0.0.1", "port=" + stream.port(), "caps=" + stream.caps(),
                    "!", "rtpjitterbuffer", "latency=200", "!"));
            command.addAll(List.of(depay.split(" ")));
            command.addAll(List.of("!", "matroskamux", "!", "filesink", "location=" + file));
        }
        Path log = work.resolve("gst-launch.log");
        Process gst = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Thread.sleep(CAPTURE_MILLIS);
            // gst-launch -e turns SIGINT into an end of stream, so the muxers finish their files.
            new ProcessBuilder("kill", "-INT", Long.toString(gst.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertThat(gst.waitFor(20, TimeUnit.SECONDS)).as("gst-launch ends after SIGINT").isTrue();
        } finally {
            gst.destroyForcibly();
        }
        System.out.println("gst-launch: " + String.join(" ", command) + "\n"
                + Files.readString(log, StandardCharsets.UTF_8).lines().filter(l -> l.contains("ERROR")
                        || l.contains("WARN")).toList());
        return files;
    }

    /** Per decoded frame: "width,height" for video, the sample count for audio. */
    private static List<String> probeFrames(Path file, String media) throws Exception {
        String entries = media.equals("video") ? "frame=width,height" : "frame=nb_samples";
        return run(List.of("ffprobe", "-v", "error", "-select_streams", "0", "-show_entries", entries,
                "-of", "csv=p=0", file.toString())).lines().filter(l -> !l.isBlank()).toList();
    }

    /** What ffmpeg says while decoding the whole file (empty: no errors). */
    private static String decodeErrors(Path file) throws Exception {
        return run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-")).trim();
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ends", command.get(0)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    /** An even port from which {@code streams} RTP/RTCP pairs are free on loopback now. */
    private static int freePorts(int streams) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                base = probe.getLocalPort() & ~1;
            }
            if (base >= 1024 && base + 2 * streams < 65_000 && allFree(base, 2 * streams)) {
                return base;
            }
        }
        throw new IOException("no free range of UDP ports");
    }

    private static boolean allFree(int base, int count) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            for (int port = base; port < base + count; port++) {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }

    @SuppressWarnings("unchecked")
    private static int highestEncodedWidth(ChromeDriver browser) {
        Object stats = await(browser, "clients.pres.sendStats()");
        if (!(stats instanceof Map<?, ?> sends)) {
            return 0;
        }
        int widest = 0;
        for (Object value : sends.values()) {
            if (value instanceof Map<?, ?> layer && layer.get("framesEncoded") instanceof Number frames
                    && frames.longValue() > 0 && layer.get("frameWidth") instanceof Number width) {
                widest = Math.max(widest, width.intValue());
            }
        }
        return widest;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(ChromeDriver browser) {
        return (Map<String, Object>) browser.executeScript("return clients.pres.summary();");
    }

    private static Object await(ChromeDriver browser, String script) {
        return browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Promise.resolve().then(() => " + script + ").then(v => done(v === undefined ? null : v),"
                + " e => done('error: ' + e));");
    }

    private static void waitFor(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
