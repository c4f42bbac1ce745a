package io.tribune.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dropwizard.testing.DropwizardTestSupport;
import io.tribune.hls.HlsPackagerApplication;
import io.tribune.hls.HlsPackagerConfiguration;
import io.tribune.transcoder.TownHallTranscoder;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.SrtLibrary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A town hall end to end with nothing faked: ffmpeg pushes a test pattern over SRT (as OBS would) into the
 * transcoder (real GStreamer), which feeds the real hls-packager over the ingest protocol; the test then reads the
 * LL-HLS playlists and media from the origin and lets ffmpeg and ffprobe judge every rung. Lives in ops/ because
 * ops may depend on both services. A two-rung ladder (360p, 180p) fits two shared cores (DECISIONS).
 */
@Timeout(300)
class TownHallBroadcastIT {

    private static final String EVENT = "townhall-it";
    private static final String KEY = "presenter-key-it-01";
    private static final Ladder LADDER = new Ladder(List.of(new Rung("360p", 640, 360, 600),
            new Rung("180p", 320, 180, 250)));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private DropwizardTestSupport<HlsPackagerConfiguration> packager;
    private TownHallTranscoder transcoder;
    private final List<Process> senders = new ArrayList<>();
    private int srtPort;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(commandWorks("ffmpeg", "-hide_banner", "-protocols"), "needs ffmpeg (apt-get install ffmpeg)");
        assumeTrue(commandWorks("gst-inspect-1.0", "srtsrc"), "needs GStreamer (apt-get install gstreamer1.0-*)");
        Path config = dir.resolve("hls-packager.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging: {level: WARN}
                ingest: {port: 0}
                signatures: {required: false, publicBaseUrl: "http://127.0.0.1"}
                storage: {enabled: false}
                """);
        packager = new DropwizardTestSupport<>(HlsPackagerApplication.class, config.toString());
        packager.before();
        int ingestPort = ((HlsPackagerApplication) packager.getApplication()).ingestServer().port();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            srtPort = socket.getLocalPort();
        }
        transcoder = new TownHallTranscoder(EVENT, KEY, "127.0.0.1", srtPort, Duration.ofMillis(120), LADDER,
                EncoderSettings.DEFAULT, new InetSocketAddress(InetAddress.getLoopbackAddress(), ingestPort), "");
        transcoder.start();
        await(Duration.ofSeconds(30), transcoder::listening, "the SRT listener");
    }

    /**
     * libsrt's exit-time destructor deadlocks with the receive threads srtsrc's JNA callback attached to this JVM,
     * so the test JVM would never exit (seen in CI): clean libsrt up while the JVM still runs, as the service does,
     * but only when the JVM exits (another test class in this JVM may use SRT after this one).
     */
    @BeforeAll
    static void releaseSrtAtExit() {
        SrtLibrary.cleanupAtExit();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process sender : senders) {
            stopSender(sender);
        }
        if (transcoder != null) {
            transcoder.stop();
        }
        if (packager != null) {
            packager.after();
        }
    }

    @Test
    void srtPresenterReachesThePlaylistsDecodableAlignedAndContinuingAcrossDropsAndRestarts() throws Exception {
        Process first = sender(KEY);
        await(Duration.ofSeconds(90), () -> completeSegments("360p") >= 3 && completeSegments("180p") >= 3,
                "three segments on each rung");
        assertThat(get("/hls/" + EVENT + "/master.m3u8").body()).contains("360p/index.m3u8")
                .contains("180p/index.m3u8").contains("RESOLUTION=640x360").contains("RESOLUTION=320x180");

        // The presenter drops: the slate keeps the playlist going; they come back on the same playlist.
        stopSender(first);
        await(Duration.ofSeconds(30), () -> !transcoder.presenterOnAir(), "the slate");
        long msnAtDrop = lastMsn("360p");
        await(Duration.ofSeconds(60), () -> lastMsn("360p") >= msnAtDrop + 2, "segments during the slate");
        Process second = sender(KEY);
        await(Duration.ofSeconds(60), transcoder::presenterOnAir, "the presenter back");
        long msnAtReturn = lastMsn("360p");
        await(Duration.ofSeconds(60), () -> lastMsn("360p") >= msnAtReturn + 2 && lastMsn("180p") >= msnAtReturn + 2,
                "segments after the return");
        assertThat(get("/hls/" + EVENT + "/360p/index.m3u8").body()).doesNotContain("#EXT-X-DISCONTINUITY");

        // Every rung decodes (video and AAC) and keyframes sit at the same times in both rungs.
        long from = Math.max(firstMsn("360p"), firstMsn("180p"));
        long to = Math.min(lastMsn("360p"), lastMsn("180p"));
        assertThat(to - from).isGreaterThanOrEqualTo(3);
        List<String> keyframes = new ArrayList<>();
        for (String rung : List.of("360p", "180p")) {
            Path file = download(rung, from, to);
            assertThat(run("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null",
                    "-")).as("decoding %s", rung).isEmpty();
            assertThat(run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                    file.toString()).strip().lines().toList()).containsExactly("h264", "aac");
            keyframes.add(run("ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
                    "-show_entries", "frame=pts_time", "-of", "csv=p=0", file.toString()).strip());
        }
        assertThat(keyframes.get(0).lines().count()).isGreaterThanOrEqualTo(3);
        assertThat(keyframes.get(1)).isEqualTo(keyframes.get(0));

        // A failed ladder is rebuilt; the playlist goes on after EXT-X-DISCONTINUITY.
        transcoder.restartLadder("test");
        await(Duration.ofSeconds(60), () -> transcoder.ladderRestarts() == 1, "the restart");
        await(Duration.ofSeconds(90), () -> afterDiscontinuity("360p") >= 2 && afterDiscontinuity("180p") >= 2,
                "two segments after the discontinuity on each rung");
        stopSender(second);
    }

    // ---- the origin

    private long completeSegments(String rung) {
        return get("/hls/" + EVENT + "/" + rung + "/index.m3u8").body().lines()
                .filter(l -> l.startsWith("#EXTINF")).count();
    }

    private long firstMsn(String rung) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist(rung));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private long lastMsn(String rung) {
        String text = playlist(rung);
        return text.isEmpty() ? -1 : firstMsn(rung) + text.lines().filter(l -> l.startsWith("#EXTINF")).count() - 1;
    }

    private long afterDiscontinuity(String rung) {
        String text = playlist(rung);
        int at = text.lastIndexOf("#EXT-X-DISCONTINUITY\n");
        return at < 0 ? 0 : text.substring(at).lines().filter(l -> l.startsWith("#EXTINF")).count();
    }

    private String playlist(String rung) {
        HttpResponse<String> response = get("/hls/" + EVENT + "/" + rung + "/index.m3u8");
        return response.statusCode() == 200 ? response.body() : "";
    }

    /** init + segments from..to of a rung, as one fMP4 file. */
    private Path download(String rung, long from, long to) throws IOException, InterruptedException {
        String text = playlist(rung);
        Matcher map = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"").matcher(text);
        assertThat(map.find()).isTrue();
        String run = map.group(1).substring(0, map.group(1).lastIndexOf('/') + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes("/hls/" + EVENT + "/" + rung + "/" + map.group(1)));
        for (long msn = from; msn <= to; msn++) {
            out.write(bytes("/hls/" + EVENT + "/" + rung + "/" + run + "s" + msn + ".m4s"));
        }
        Path file = dir.resolve(rung + ".mp4");
        Files.write(file, out.toByteArray());
        return file;
    }

    private byte[] bytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(origin(path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(origin(path)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI origin(String path) {
        return URI.create("http://127.0.0.1:" + packager.getLocalPort() + path);
    }

    // ---- ffmpeg as the presenter

    private Process sender(String streamId) throws IOException {
        Process process = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=48000", "-t", "120", "-c:v", "libx264", "-preset", "ultrafast",
                "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
                "-f", "mpegts", "srt://127.0.0.1:" + srtPort + "?streamid=" + streamId)
                .redirectErrorStream(true).redirectOutput(dir.resolve("sender-" + senders.size() + ".log").toFile())
                .start();
        senders.add(process);
        return process;
    }

    private static void stopSender(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command[0] + " did not finish in 120 s");
        }
        return new String(out);
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
