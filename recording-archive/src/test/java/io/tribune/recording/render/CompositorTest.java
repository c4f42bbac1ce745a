package io.tribune.recording.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.tribune.recording.mux.Ffprobe;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders real track files (made by Debian's ffmpeg: VP8 and Opus in WebM, as the archive stores them) with
 * different start times, a loud and a quiet speaker and a screen share, and checks the composed file with ffprobe.
 */
class CompositorTest {

    @TempDir
    Path dir;

    @Test
    void composesTracksWithOffsetsIntoOneFaststartMp4WithThumbnailsAndPoster() throws Exception {
        Path aCam = make("a_cam.webm", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "6",
                "-c:v", "libvpx", "-b:v", "300k");
        Path aMic = make("a_mic.webm", "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-af", "volume=0.5",
                "-c:a", "libopus", "-ac", "2");
        Path bCam = make("b_cam.webm", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "3",
                "-c:v", "libvpx", "-b:v", "300k");
        Path bMic = make("b_mic.webm", "-f", "lavfi", "-i", "sine=frequency=660:duration=4", "-af", "volume=0.02",
                "-c:a", "libopus", "-ac", "2");
        Path screen = make("screen.webm", "-f", "lavfi", "-i", "smptebars=size=640x360:rate=10", "-t", "3",
                "-c:v", "libvpx");
        List<RenderTrack> tracks = new ArrayList<>(List.of(
                new RenderTrack("a-cam", "p-a", "Ada Lovelace", "video", "camera", aCam, 0, 6_000),
                new RenderTrack("a-mic", "p-a", "Ada Lovelace", "audio", "microphone", aMic, 0, 6_000),
                // Grace joins 1.5 s late; her camera stops after 3 s (muted) while her microphone goes on.
                new RenderTrack("b-cam", "p-b", "Grace Hopper", "video", "camera", bCam, 1_500, 3_000),
                new RenderTrack("b-mic", "p-b", "Grace Hopper", "audio", "microphone", bMic, 1_500, 4_000),
                new RenderTrack("screen", "p-b", "Grace Hopper", "video", "screen", screen, 2_000, 3_000),
                // The third participant only ever listens: a placeholder with the name, a tile all along.
                new RenderTrack("c-mic", "p-c", "Edsger Dijkstra", "audio", "microphone",
                        make("c_mic.webm", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "7.2",
                                "-c:a", "libopus"), 0, 7_200)));

        Compositor compositor = new Compositor(Compositor.Settings.defaults());
        RenderPlan plan = compositor.plan(tracks);
        assertThat(plan.spanMillis()).isEqualTo(7_200);
        assertThat(plan.participantIds()).containsExactly("p-a", "p-c", "p-b");
        // Ada is the loud one: on stage from the start; the screen share makes an epoch of its own.
        assertThat(plan.epochs().get(0).speaker()).isEqualTo("p-a");
        assertThat(plan.epochs()).anySatisfy(e -> assertThat(e.screen()).isNotNull());

        List<Double> progress = new ArrayList<>();
        Compositor.Output output = compositor.render(plan, dir.resolve("out"), progress::add);

        Ffprobe.Streams probe = Ffprobe.probeAll(output.video());
        assertThat(probe.has("video", "h264")).as("%s", probe).isTrue();
        assertThat(probe.has("audio", "aac")).as("%s", probe).isTrue();
        assertThat(probe.durationSeconds()).isCloseTo(7.2, offset(1.0));
        List<String> boxes = Ffprobe.topLevelBoxes(output.video());
        assertThat(boxes.indexOf("moov")).isNotNegative().isLessThan(boxes.indexOf("mdat"));
        assertThat(Ffprobe.decodeErrors(output.video())).isEmpty();

        BufferedImage poster = ImageIO.read(output.poster().toFile());
        assertThat(poster.getWidth()).isEqualTo(1280);
        BufferedImage sprite = ImageIO.read(output.thumbnails().toFile());
        assertThat(sprite.getWidth()).isEqualTo(2 * 160);
        assertThat(sprite.getHeight()).isEqualTo(90);
        assertThat(Files.readString(output.thumbnailsVtt())).startsWith("WEBVTT").contains(
                "00:00:00.000 --> 00:00:05.000\nthumbnails.jpg#xywh=0,0,160,90",
                "00:00:05.000 --> 00:00:07.200\nthumbnails.jpg#xywh=160,0,160,90");
        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(1.0);
    }

    private Path make(String name, String... args) throws Exception {
        Path file = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-y"));
        command.addAll(List.of(args));
        command.add(file.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return file;
    }
}
