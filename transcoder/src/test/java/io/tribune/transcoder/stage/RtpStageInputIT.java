package io.tribune.transcoder.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tribune.common.media.IngestFrame;
import io.tribune.transcoder.ingest.PackagerConnection;
import io.tribune.platform.UdpPorts;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.GStreamer;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.LadderPipeline;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.Timeline;
import io.tribune.transcoder.testing.FakePackager;
import io.tribune.transcoder.testing.Rungs;
import io.tribune.transcoder.testing.SrtSender;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.elements.AppSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage input with real GStreamer: RTP senders stand in for the SFU's egress (VP8 cameras in solid colours, a
 * VP8 screen share, an Opus microphone, with the SFU's caps and SSRCs), and the composed picture is read back from
 * the input's inter channel. Screen share large with the speaker's camera beside it; a new dominant speaker moves
 * the other camera into the box.
 */
@Timeout(120)
class RtpStageInputIT {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;

    private Pipeline senders;
    private Pipeline reader;
    private RtpStageInput input;
    private LadderPipeline ladder;

    @BeforeAll
    static void needsTools() {
        assumeTrue(SrtSender.gstreamerAvailable(), "GStreamer 1.22 plugins are needed (see ops/tribune)");
        GStreamer.init();
    }

    @AfterEach
    void stop() {
        if (ladder != null) {
            ladder.stop();
        }
        for (Pipeline p : new Pipeline[] {senders, reader}) {
            if (p != null) {
                p.stop();
                p.dispose();
            }
        }
        if (input != null) {
            input.stop();
        }
    }

    @Test
    void showsTheScreenLargeWithTheSpeakersCameraBesideItAndFollowsTheSpeaker() throws Exception {
        int base = UdpPorts.evenFreeBlock(2 * 4);
        String json = "{\"room\":\"hall\",\"active_speaker\":\"ann\",\"version\":2,\"streams\":["
                + stream("ann", "camera-a", "camera", "video", "VP8", base, 96, 11)
                + "," + stream("ben", "screen-b", "screen", "video", "VP8", base + 2, 96, 22)
                + "," + stream("ben", "camera-b", "camera", "video", "VP8", base + 4, 96, 33)
                + "," + stream("ann", "microphone-a", "microphone", "audio", "OPUS", base + 6, 111, 44) + "]}";
        StageDescription stage = StageDescription.parse(json);
        String channel = "stage-test-" + base;
        AtomicReference<String> ended = new AtomicReference<>();
        input = new RtpStageInput(stage, new Rung("360p", WIDTH, HEIGHT, 600), 15, channel, ended::set);
        input.start();

        senders = (Pipeline) Gst.parseLaunch(videoSender(0xff00ff00, base, 11) + " " + videoSender(0xffff0000,
                base + 2, 22) + " " + videoSender(0xff0000ff, base + 4, 33)
                + " audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=111 ssrc=44 ! udpsink host=127.0.0.1 port="
                + (base + 6));
        senders.play();

        AtomicReference<byte[]> frame = new AtomicReference<>();
        reader = (Pipeline) Gst.parseLaunch("intervideosrc channel=" + channel + " ! videoconvert ! video/x-raw,"
                + "format=RGBx,width=" + WIDTH + ",height=" + HEIGHT + " ! appsink name=out sync=false max-buffers=2"
                + " drop=true");
        AppSink sink = (AppSink) reader.getElementByName("out");
        sink.set("emit-signals", true);
        sink.connect((AppSink.NEW_SAMPLE) element -> {
            Sample sample = element.pullSample();
            Buffer buffer = sample.getBuffer();
            ByteBuffer mapped = buffer.map(false);
            byte[] copy = new byte[mapped.remaining()];
            mapped.get(copy);
            buffer.unmap();
            sample.dispose();
            frame.set(copy);
            return org.freedesktop.gstreamer.FlowReturn.OK;
        });
        reader.play();

        // Screen (red) left, three quarters wide; ann's camera (green) in the box on the right; black above.
        awaitColours(frame, ended, "screen red, ann green", new int[][] {
                {WIDTH * 3 / 8, HEIGHT / 2, 0xff0000}, {WIDTH * 7 / 8, HEIGHT / 2, 0x00ff00}, {WIDTH / 2, 10, 0}});
        assertThat(input.videoFrames()).isPositive();

        input.setActiveSpeaker("ben");
        awaitColours(frame, ended, "screen red, ben blue", new int[][] {
                {WIDTH * 3 / 8, HEIGHT / 2, 0xff0000}, {WIDTH * 7 / 8, HEIGHT / 2, 0x0000ff}});
        assertThat(ended.get()).as("the input ran without an error").isNull();
    }

    /** Stage input -> the existing ladder (one scale chain and x264 per rung) -> the packager's ingest. */
    @Test
    void feedsTheLadderWhoseRungsDecode(@TempDir Path dir) throws Exception {
        int base = UdpPorts.evenFreeBlock(2 * 2);
        StageDescription stage = StageDescription.parse("{\"room\":\"hall\",\"active_speaker\":\"ann\",\"streams\":["
                + stream("ann", "camera-a", "camera", "video", "VP8", base, 96, 11) + ","
                + stream("ann", "microphone-a", "microphone", "audio", "OPUS", base + 2, 111, 44) + "]}");
        String channel = "stage-ladder-" + base;
        AtomicReference<String> ended = new AtomicReference<>();
        EncoderSettings encoder = EncoderSettings.DEFAULT;
        Ladder rungs = new Ladder(List.of(new Rung("360p", WIDTH, HEIGHT, 600), new Rung("180p", 320, 180, 250)));
        try (FakePackager packager = new FakePackager();
             PackagerConnection connection = new PackagerConnection(packager.address(), "stage-" + base, "",
                     Duration.ofSeconds(1))) {
            input = new RtpStageInput(stage, rungs.rungs().get(0), encoder.frameRate(), channel, ended::set);
            input.start();
            ladder = new LadderPipeline(rungs, encoder, channel, new Timeline(), connection);
            ladder.start(ended::set);
            ladder.showPresenter(true);
            senders = (Pipeline) Gst.parseLaunch(videoSender(0xff00ff00, base, 11)
                    + " audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=111 ssrc=44 ! udpsink host=127.0.0.1"
                    + " port=" + (base + 2));
            senders.play();
            long deadline = System.currentTimeMillis() + 90_000;
            while (Rungs.keyframeDts(packager.samples(1)).size() < 3) {
                assertThat(ended.get()).as("stage input or ladder error").isNull();
                assertThat(System.currentTimeMillis()).as("three keyframes on the lowest rung").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(input.videoFrames()).as("stage frames decoded").isPositive();
            for (int track = 0; track < 2; track++) {
                IngestFrame.TrackAnnounce announce = packager.track(track);
                List<IngestFrame.Sample> samples = packager.samples(track);
                Path file = Rungs.writeAnnexB(announce, samples, dir.resolve(announce.name() + ".h264"));
                assertThat(Rungs.decodeErrors(file)).as("ffmpeg decoding %s", announce.name()).isEmpty();
                assertThat(Rungs.probe(file)).startsWith("h264," + announce.width() + "," + announce.height() + ",");
                System.out.printf("rung %s: %d samples decode, %s%n", announce.name(), samples.size(),
                        Rungs.probe(file));
            }
            assertThat(packager.samples(LadderPipeline.AUDIO_TRACK)).hasSizeGreaterThan(50);
            assertThat(packager.errors()).isEmpty();
        }
    }

    private static void awaitColours(AtomicReference<byte[]> frame, AtomicReference<String> ended, String what,
                                     int[][] points) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 45_000;
        String seen = "no frame";
        while (System.currentTimeMillis() < deadline) {
            assertThat(ended.get()).as("stage input error").isNull();
            byte[] rgbx = frame.get();
            if (rgbx != null && rgbx.length >= WIDTH * HEIGHT * 4) {
                boolean all = true;
                StringBuilder at = new StringBuilder();
                for (int[] p : points) {
                    int i = (p[1] * WIDTH + p[0]) * 4;
                    int r = rgbx[i] & 0xff;
                    int g = rgbx[i + 1] & 0xff;
                    int b = rgbx[i + 2] & 0xff;
                    at.append(String.format("(%d,%d)=%02x%02x%02x ", p[0], p[1], r, g, b));
                    all &= close(r, (p[2] >> 16) & 0xff) && close(g, (p[2] >> 8) & 0xff) && close(b, p[2] & 0xff);
                }
                seen = at.toString();
                if (all) {
                    System.out.println(what + ": " + seen);
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waiting for " + what + "; last frame: " + seen);
    }

    private static boolean close(int value, int expected) {
        return Math.abs(value - expected) < 70;
    }

    private static String videoSender(int argb, int port, int ssrc) {
        return "videotestsrc is-live=true pattern=solid-color foreground-color=" + Integer.toUnsignedString(argb)
                + " ! video/x-raw,width=320,height=180,framerate=15/1 ! vp8enc deadline=1 keyframe-max-dist=15"
                + " ! rtpvp8pay pt=96 ssrc=" + ssrc + " ! udpsink host=127.0.0.1 port=" + port;
    }

    private static String stream(String participant, String track, String source, String media, String encoding,
                                 int port, int payloadType, long ssrc) {
        int rate = media.equals("audio") ? 48_000 : 90_000;
        return "{\"participant_id\":\"" + participant + "\",\"track_id\":\"" + track + "\",\"source\":\"" + source
                + "\",\"media\":\"" + media + "\",\"encoding_name\":\"" + encoding + "\",\"clock_rate\":" + rate
                + ",\"payload_type\":" + payloadType + ",\"ssrc\":" + ssrc + ",\"port\":" + port
                + ",\"caps\":\"application/x-rtp,media=" + media + ",encoding-name=" + encoding + ",clock-rate="
                + rate + ",payload=" + payloadType + ",ssrc=(uint)" + ssrc + "\"}";
    }

}
