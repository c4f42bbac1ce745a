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
 * ffprobe decodes every frame: the camera at the size of the highest simulcast layer the browser sends, no decode
 * errors.
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

            // Let Chromium's bandwidth estimate bring up the upper simulcast layers (transport-cc from the node);
            // on a loaded machine it may not, and the capture then checks against what is sent.
            long rampUntil = System.currentTimeMillis() + 20_000;
            while (highestEncodedWidth(browser) < 640 && System.currentTimeMillis() < rampUntil) {
                Thread.sleep(200);
            }

            Map<String, Object> sendsBefore = sendStats(browser);
            Map<String, Path> files = capture(description);
            Map<String, Object> sendsAfter = sendStats(browser);
            // The widest simulcast layer Chromium encoded through at least half the capture (its bandwidth
            // estimate turns upper layers off on a loaded machine): the egress must forward that one or wider.
            int expectedWidth = 0;
            for (String rid : List.of("q", "h", "f")) {
                long encoded = number(sendsAfter.get(rid), "framesEncoded") - number(sendsBefore.get(rid),
                        "framesEncoded");
                if (encoded >= 15 * CAPTURE_MILLIS / 1000 / 2) {
                    expectedWidth = Math.max(expectedWidth, (int) number(sendsAfter.get(rid), "frameWidth"));
                }
            }
            StageEgress egress = egresses.egress(ROOM).orElseThrow();
            System.out.printf("egress sent %s; pres sends %s; egress pipeline %s%n", egress.packetsSent(),
                    await(browser, "clients.pres.sendStats()"), egress.pipeline().stats());

            for (EgressDescription.Stream stream : description.streams()) {
                Path file = files.get(stream.source());
                assertThat(file).as("%s captured", stream.source()).exists();
                Probe probe = probe(file, stream.media());
                List<String> frames = probe.frames();
                System.out.printf("%s (%s, port %d): %d frames decoded by ffprobe%s%n", stream.source(),
                        stream.encodingName(), stream.port(), frames.size(),
                        probe.errors().isEmpty() ? ", no decode errors" : ", ffprobe: " + probe.errors());
                assertThat(probe.errors()).as("ffprobe decoding %s", stream.source()).isEmpty();
                switch (stream.source()) {
                    // 15 fps; the first key frame comes within the 3 s refresh after GStreamer listens.
                    case "camera" -> {
                        assertThat(frames.size()).as("camera frames").isGreaterThanOrEqualTo(20);
                        int widest = frames.stream().mapToInt(f -> Integer.parseInt(f.split(",")[0])).max()
                                .orElse(0);
                        System.out.printf("camera frame widths seen: %s%n", frames.stream().distinct().toList());
                        System.out.printf("widest layer encoded through the capture: %d px%n", expectedWidth);
                        assertThat(widest).as("camera width: the highest layer sent").isPositive()
                                .isGreaterThanOrEqualTo(expectedWidth);
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
            // gst-launch takes seconds to start on a loaded machine: the capture counts from when its sources are
            // open (udpsrc binds its socket on the way to PAUSED; a live pipeline then says so).
            waitFor("gst-launch to listen", 90_000, () -> {
                assertThat(gst.isAlive()).as("gst-launch runs").isTrue();
                try {
                    return Files.readString(log, StandardCharsets.UTF_8).contains("Pipeline is live");
                } catch (IOException e) {
                    return false;
                }
            });
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

    /** ffprobe's view of a file: each decoded frame, and what it reported while decoding (nothing: no errors). */
    private record Probe(List<String> frames, String errors) {
    }

    /** Decodes every frame with ffprobe: "width,height" per video frame, the sample count per audio frame. */
    private static Probe probe(Path file, String media) throws Exception {
        String entries = media.equals("video") ? "frame=width,height" : "frame=nb_samples";
        Path errors = work.resolve(file.getFileName() + ".errors");
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "0", "-show_entries",
                entries, "-of", "csv=p=0", file.toString()).redirectError(errors.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ffprobe ends").isTrue();
        return new Probe(new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList(),
                Files.readString(errors, StandardCharsets.UTF_8).trim());
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
    private static Map<String, Object> sendStats(ChromeDriver browser) {
        Object stats = await(browser, "clients.pres.sendStats()");
        return stats instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static long number(Object entry, String field) {
        return entry instanceof Map<?, ?> map && map.get(field) instanceof Number n ? n.longValue() : 0;
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
