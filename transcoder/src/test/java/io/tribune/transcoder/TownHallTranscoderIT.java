package io.tribune.transcoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.TrackKind;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.LadderPipeline;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.SrtLibrary;
import io.tribune.transcoder.testing.FakePackager;
import io.tribune.transcoder.testing.Rungs;
import io.tribune.transcoder.testing.SrtSender;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcoder with real GStreamer and a real SRT sender (ffmpeg), against a recording stand-in for the
 * packager. A two-rung ladder (360p, 180p) keeps it within two shared cores (DECISIONS). The same chain into the
 * real hls-packager is tested in ops/ ({@code TownHallBroadcastIT}).
 */
@Timeout(240)
@SuppressWarnings("try") // the senders run while their blocks wait
class TownHallTranscoderIT {

    static final Ladder TEST_LADDER = new Ladder(List.of(new Rung("360p", 640, 360, 600),
            new Rung("180p", 320, 180, 250), new Rung("720p", 1280, 720, 2000)));
    static final String KEY = "presenter-key-0123";

    private FakePackager packager;
    private TownHallTranscoder transcoder;
    private int srtPort;

    @BeforeAll
    static void needsTools() {
        assumeTrue(SrtSender.ffmpegAvailable(), "ffmpeg with SRT support is needed (apt-get install ffmpeg)");
        assumeTrue(SrtSender.gstreamerAvailable(), "GStreamer 1.22 plugins are needed (see ops/tribune)");
    }

    @BeforeEach
    void start() throws Exception {
        packager = new FakePackager();
        srtPort = freeUdpPort();
        transcoder = new TownHallTranscoder("th-" + srtPort, KEY, "127.0.0.1", srtPort, Duration.ofMillis(120),
                TEST_LADDER, EncoderSettings.DEFAULT, packager.address(), "");
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
        if (transcoder != null) {
            transcoder.stop();
        }
        if (packager != null) {
            packager.close();
        }
    }

    @Test
    void encodesEveryRungDecodablyWithAlignedKeyframesAndNeverUpscales(@TempDir Path dir) throws Exception {
        try (SrtSender sender = SrtSender.start(srtPort, KEY, 9, 640, 360)) {
            await(Duration.ofSeconds(60), () -> Rungs.keyframeDts(packager.samples(1)).size() >= 4,
                    "four keyframes on the lowest rung");
        }
        // 720p is above the 360p source: dropped, never upscaled.
        assertThat(transcoder.activeLadder().rungs()).extracting(Rung::name).containsExactly("360p", "180p");
        assertThat(packager.track(2)).isNull();
        IngestFrame.TrackAnnounce audio = packager.track(LadderPipeline.AUDIO_TRACK);
        assertThat(audio.kind()).isEqualTo(TrackKind.AUDIO);
        assertThat(audio.codec()).isEqualTo("mp4a");
        assertThat(packager.samples(LadderPipeline.AUDIO_TRACK)).hasSizeGreaterThan(100);

        for (int track = 0; track < 2; track++) {
            IngestFrame.TrackAnnounce announce = packager.track(track);
            List<IngestFrame.Sample> samples = packager.samples(track);
            assertThat(samples.get(0).keyframe()).as("first sample of %s is a keyframe", announce.name()).isTrue();
            for (int i = 1; i < samples.size(); i++) {
                assertThat(samples.get(i).dts()).as("dts rises").isGreaterThan(samples.get(i - 1).dts());
            }
            assertThat(samples).allMatch(IngestFrame.Sample::hasCaptureTime);
            Path file = Rungs.writeAnnexB(announce, samples, dir.resolve(announce.name() + ".h264"));
            assertThat(Rungs.decodeErrors(file)).as("ffmpeg decoding %s", announce.name()).isEmpty();
            assertThat(Rungs.probe(file)).startsWith("h264," + announce.width() + "," + announce.height() + ",")
                    .endsWith("," + samples.size());
        }
        // Keyframes on the same frames in both rungs, every 2 s (60 frames at 90 kHz).
        List<Long> top = Rungs.keyframeDts(packager.samples(0));
        List<Long> low = Rungs.keyframeDts(packager.samples(1));
        int common = Math.min(top.size(), low.size());
        assertThat(common).isGreaterThanOrEqualTo(4);
        assertThat(top.subList(0, common)).isEqualTo(low.subList(0, common));
        for (int i = 1; i < common; i++) {
            assertThat(top.get(i) - top.get(i - 1)).isEqualTo(180_000L);
        }
        assertThat(packager.errors()).isEmpty();
    }

    @Test
    void refusesACallerWithoutTheStreamKey() throws Exception {
        try (SrtSender wrong = SrtSender.start(srtPort, "not-the-key-0123", 5, 320, 180)) {
            int status = wrong.waitFor(30);
            assertThat(status).as("ffmpeg with a wrong key fails to connect").isNotEqualTo(0).isNotEqualTo(-1);
        }
        assertThat(transcoder.rejectedCallers()).isGreaterThanOrEqualTo(1);
        assertThat(transcoder.activeLadder()).as("nothing was decoded").isNull();
        assertThat(packager.samples(0)).isEmpty();
        // The right key still gets in afterwards.
        try (SrtSender right = SrtSender.start(srtPort, KEY, 4, 320, 180)) {
            await(Duration.ofSeconds(60), () -> packager.samples(0).size() > 10, "video from the right key");
        }
    }

    @Test
    void keepsTheStreamGoingOnTheSlateWhenThePresenterDropsAndReturns() throws Exception {
        try (SrtSender first = SrtSender.start(srtPort, KEY, 30, 640, 360)) {
            await(Duration.ofSeconds(60), transcoder::presenterOnAir, "the presenter on air");
            await(Duration.ofSeconds(30), () -> packager.samples(0).size() > 60, "two seconds of video");
        }
        await(Duration.ofSeconds(30), () -> !transcoder.presenterOnAir(), "the slate");
        int duringSlate = packager.samples(0).size();
        await(Duration.ofSeconds(30), () -> packager.samples(0).size() > duringSlate + 45,
                "video keeps coming on the slate");
        try (SrtSender second = SrtSender.start(srtPort, KEY, 30, 640, 360)) {
            await(Duration.ofSeconds(60), transcoder::presenterOnAir, "the presenter back on air");
            int back = packager.samples(0).size();
            await(Duration.ofSeconds(30), () -> packager.samples(0).size() > back + 60, "two more seconds");
        }
        assertThat(transcoder.presenterSessions()).isEqualTo(2);
        assertThat(transcoder.ladderRestarts()).isZero();
        assertThat(packager.connections()).as("one packager connection: no discontinuity needed").isEqualTo(1);
        List<IngestFrame.Sample> video = packager.samples(0);
        for (int i = 1; i < video.size(); i++) {
            long step = video.get(i).dts() - video.get(i - 1).dts();
            assertThat(step).as("frame %d follows the previous one without a gap", i).isBetween(1L, 3L * 3000);
        }
    }

    @Test
    void restartsAFailedLadderAfterADiscontinuityWithRisingTimestamps() throws Exception {
        try (SrtSender sender = SrtSender.start(srtPort, KEY, 30, 640, 360)) {
            await(Duration.ofSeconds(60), () -> packager.samples(0).size() > 30, "video");
            int before = packager.frames().size();
            long lastDts = packager.samples(0).get(packager.samples(0).size() - 1).dts();
            transcoder.restartLadder("test");
            await(Duration.ofSeconds(60), () -> transcoder.ladderRestarts() == 1, "the restart");
            await(Duration.ofSeconds(60), () -> packager.samples(0).size() > 100, "video after the restart");
            List<IngestFrame> after = packager.frames().subList(before, packager.frames().size());
            int discontinuity = indexOf(after, IngestFrame.Discontinuity.class);
            assertThat(discontinuity).as("a DISCONTINUITY frame").isGreaterThanOrEqualTo(0);
            List<IngestFrame.Sample> newVideo = after.subList(discontinuity, after.size()).stream()
                    .filter(f -> f instanceof IngestFrame.Sample s && s.trackId() == 0)
                    .map(f -> (IngestFrame.Sample) f).toList();
            assertThat(newVideo.get(0).keyframe()).isTrue();
            assertThat(newVideo.get(0).dts()).isGreaterThan(lastDts);
            await(Duration.ofSeconds(30), transcoder::presenterOnAir, "the presenter on the new ladder");
        }
    }

    private static int indexOf(List<IngestFrame> frames, Class<?> type) {
        for (int i = 0; i < frames.size(); i++) {
            if (type.isInstance(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
