package io.tribune.hls.ingest;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.TrackKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real H.264 + AAC made by Debian's ffmpeg from its test signal, for the packager's tests and the CDN benchmark: a
 * ladder of video rungs (30 fps, x264 with a keyframe every 2 s on every rung, no B-frames) and 48 kHz stereo AAC,
 * as Annex B and ADTS files, then cut into ingest samples the way the transcoder sends them (avcC from SPS/PPS,
 * 4-byte NAL lengths, one AAC frame per sample). Encoding happens once, up front; {@link IngestFeeder} then plays the
 * samples at real-time pace, so a consumer of the stream does not pay for an encoder while it runs. Video tracks are
 * numbered from 0 in ladder order, the audio track follows them. Not thread-safe to build; the streams are immutable.
 */
public final class SyntheticMedia {

    /** One sample of the stream, with its media time for pacing. */
    public record TimedFrame(double seconds, IngestFrame frame) {
    }

    public record Stream(List<IngestFrame.TrackAnnounce> tracks, List<TimedFrame> samples) {
    }

    /** One video rung: its rendition name, size and bitrate. */
    public record VideoRung(String name, int width, int height, int kbps) {
    }

    /** The tests' ladder: two small rungs that fit two shared cores. */
    public static final List<VideoRung> TEST_LADDER = List.of(new VideoRung("180p", 320, 180, 300),
            new VideoRung("108p", 192, 108, 150));

    private static final int FPS = 30;

    private SyntheticMedia() {
    }

    public static boolean ffmpegAvailable() {
        return onPath("ffmpeg") && onPath("ffprobe");
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Encodes {@code seconds} of test signal on {@link #TEST_LADDER} into {@code dir}. */
    public static Stream generate(Path dir, int seconds) throws IOException, InterruptedException {
        return generate(dir, seconds, TEST_LADDER);
    }

    /** Encodes {@code seconds} of test signal on {@code ladder} (largest first) into {@code dir}. */
    public static Stream generate(Path dir, int seconds, List<VideoRung> ladder)
            throws IOException, InterruptedException {
        if (ladder.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rung");
        }
        VideoRung top = ladder.get(0);
        String x264 = "-c:v libx264 -preset veryfast -tune zerolatency -profile:v high -bf 0 -g 60 -keyint_min 60 "
                + "-sc_threshold 0 -bsf:v h264_metadata=aud=insert -f h264";
        StringBuilder filter = new StringBuilder("[0:v]split=" + ladder.size());
        for (int i = 0; i < ladder.size(); i++) {
            filter.append("[s").append(i).append(']');
        }
        for (int i = 0; i < ladder.size(); i++) {
            VideoRung rung = ladder.get(i);
            filter.append(";[s").append(i).append("]scale=").append(rung.width()).append(':').append(rung.height())
                    .append("[v").append(i).append(']');
        }
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y",
                "-t", String.valueOf(seconds), "-f", "lavfi",
                "-i", "testsrc2=size=" + top.width() + "x" + top.height() + ":rate=" + FPS,
                "-t", String.valueOf(seconds), "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-filter_complex", filter.toString()));
        for (int i = 0; i < ladder.size(); i++) {
            command.addAll(List.of("-map", "[v" + i + "]", "-b:v", ladder.get(i).kbps() + "k"));
            command.addAll(List.of(x264.split(" ")));
            command.add(dir.resolve("v" + i + ".h264").toString());
        }
        command.addAll(List.of("-map", "1:a", "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-f", "adts",
                dir.resolve("a.aac").toString()));
        run(command, dir);

        List<IngestFrame.TrackAnnounce> tracks = new ArrayList<>();
        List<TimedFrame> samples = new ArrayList<>();
        for (int track = 0; track < ladder.size(); track++) {
            VideoRung rung = ladder.get(track);
            AnnexB.Parsed video = AnnexB.parse(Files.readAllBytes(dir.resolve("v" + track + ".h264")));
            tracks.add(new IngestFrame.TrackAnnounce(track, TrackKind.VIDEO, "avc1", 90_000, rung.name(),
                    rung.width(), rung.height(), rung.kbps() * 1000L, FPS * 1000, video.avcC()));
            for (int i = 0; i < video.accessUnits().size(); i++) {
                long dts = i * 3000L;
                samples.add(new TimedFrame(i / (double) FPS, new IngestFrame.Sample(track,
                        video.keyframes().get(i), dts, dts, 3000, IngestFrame.Sample.NO_CAPTURE_TIME,
                        video.accessUnits().get(i))));
            }
        }
        int audioTrack = ladder.size();
        Adts.Parsed audio = Adts.parse(Files.readAllBytes(dir.resolve("a.aac")));
        tracks.add(new IngestFrame.TrackAnnounce(audioTrack, TrackKind.AUDIO, "mp4a", audio.sampleRate(), "main", 0,
                0, 64_000, 0, audio.audioSpecificConfig()));
        for (int i = 0; i < audio.frames().size(); i++) {
            long pts = i * 1024L;
            samples.add(new TimedFrame(pts / (double) audio.sampleRate(), new IngestFrame.Sample(audioTrack, true,
                    pts, pts, 1024, IngestFrame.Sample.NO_CAPTURE_TIME, audio.frames().get(i))));
        }
        samples.sort(Comparator.comparingDouble(TimedFrame::seconds));
        return new Stream(tracks, samples);
    }

    /**
     * The stream played {@code loops} times back to back on one timeline (video shifted by the clip's length, audio
     * numbered on), for a long live stream from a short clip. The payloads are shared, not copied.
     */
    public static Stream loop(Stream clip, int loops) {
        int audioTrack = clip.tracks().stream().filter(t -> t.kind() == TrackKind.AUDIO)
                .mapToInt(IngestFrame.TrackAnnounce::trackId).findFirst().orElse(-1);
        long videoFrames = clip.samples().stream().filter(t -> ((IngestFrame.Sample) t.frame()).trackId() == 0)
                .count();
        double clipSeconds = videoFrames / (double) FPS;
        List<TimedFrame> looped = new ArrayList<>();
        long audioIndex = 0;
        for (int k = 0; k < loops; k++) {
            for (TimedFrame timed : clip.samples()) {
                IngestFrame.Sample s = (IngestFrame.Sample) timed.frame();
                if (s.trackId() == audioTrack) {
                    if (timed.seconds() >= clipSeconds) {
                        continue;
                    }
                    long pts = audioIndex++ * 1024;
                    looped.add(new TimedFrame(pts / 48_000.0, new IngestFrame.Sample(audioTrack, true, pts, pts,
                            1024, s.captureTimeMicros(), s.payload())));
                } else {
                    long shift = k * videoFrames * 3000;
                    looped.add(new TimedFrame(timed.seconds() + k * clipSeconds, new IngestFrame.Sample(s.trackId(),
                            s.keyframe(), s.dts() + shift, s.pts() + shift, s.duration(), s.captureTimeMicros(),
                            s.payload())));
                }
            }
        }
        looped.sort(Comparator.comparingDouble(TimedFrame::seconds));
        return new Stream(clip.tracks(), looped);
    }

    /** The media time the stream covers, in seconds (its last sample's time). */
    public static double seconds(Stream stream) {
        return stream.samples().isEmpty() ? 0 : stream.samples().get(stream.samples().size() - 1).seconds();
    }

    static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " timed out");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output.toString();
    }

    /** Runs a tool and returns what it printed (stdout and stderr together). */
    public static String tool(Path dir, String... command) throws IOException, InterruptedException {
        return run(List.of(command), dir);
    }
}
