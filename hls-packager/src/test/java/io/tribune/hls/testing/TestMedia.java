package io.tribune.hls.testing;

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
 * Real H.264 + AAC for tests, made by Debian's ffmpeg: a 2-rung ladder (320x180 and 192x108, 30 fps, x264 with a
 * keyframe every 2 s on both rungs, no B-frames) and 48 kHz stereo AAC, as Annex B and ADTS files, then cut into
 * ingest samples the way the transcoder will send them (avcC from SPS/PPS, 4-byte NAL lengths, one AAC frame per
 * sample).
 */
public final class TestMedia {

    /** One sample of the stream, with its media time for pacing. */
    public record TimedFrame(double seconds, IngestFrame frame) {
    }

    public record Stream(List<IngestFrame.TrackAnnounce> tracks, List<TimedFrame> samples) {
    }

    private static final int FPS = 30;

    private TestMedia() {
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

    /** Encodes {@code seconds} of test signal into {@code dir} and returns it as ingest frames. */
    public static Stream generate(Path dir, int seconds) throws IOException, InterruptedException {
        String x264 = "-c:v libx264 -preset veryfast -tune zerolatency -profile:v high -bf 0 -g 60 -keyint_min 60 "
                + "-sc_threshold 0 -bsf:v h264_metadata=aud=insert -f h264";
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y",
                "-t", String.valueOf(seconds), "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=" + FPS,
                "-t", String.valueOf(seconds), "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-filter_complex", "[0:v]split=2[a][b];[b]scale=192:108[b2]",
                "-map", "[a]", "-b:v", "300k"));
        command.addAll(List.of(x264.split(" ")));
        command.add(dir.resolve("v0.h264").toString());
        command.addAll(List.of("-map", "[b2]", "-b:v", "150k"));
        command.addAll(List.of(x264.split(" ")));
        command.add(dir.resolve("v1.h264").toString());
        command.addAll(List.of("-map", "1:a", "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-f", "adts",
                dir.resolve("a.aac").toString()));
        run(command, dir);

        List<IngestFrame.TrackAnnounce> tracks = new ArrayList<>();
        List<TimedFrame> samples = new ArrayList<>();
        long startMicros = System.currentTimeMillis() * 1000;
        String[] names = {"180p", "108p"};
        int[][] sizes = {{320, 180}, {192, 108}};
        long[] bitrates = {300_000, 150_000};
        for (int track = 0; track < 2; track++) {
            AnnexB.Parsed video = AnnexB.parse(Files.readAllBytes(dir.resolve("v" + track + ".h264")));
            tracks.add(new IngestFrame.TrackAnnounce(track, TrackKind.VIDEO, "avc1", 90_000, names[track],
                    sizes[track][0], sizes[track][1], bitrates[track], FPS * 1000, video.avcC()));
            for (int i = 0; i < video.accessUnits().size(); i++) {
                long dts = i * 3000L;
                samples.add(new TimedFrame(i / (double) FPS, new IngestFrame.Sample(track,
                        video.keyframes().get(i), dts, dts, 3000, IngestFrame.Sample.NO_CAPTURE_TIME,
                        video.accessUnits().get(i))));
            }
        }
        Adts.Parsed audio = Adts.parse(Files.readAllBytes(dir.resolve("a.aac")));
        tracks.add(new IngestFrame.TrackAnnounce(2, TrackKind.AUDIO, "mp4a", audio.sampleRate(), "main", 0, 0,
                64_000, 0, audio.audioSpecificConfig()));
        for (int i = 0; i < audio.frames().size(); i++) {
            long pts = i * 1024L;
            samples.add(new TimedFrame(pts / (double) audio.sampleRate(), new IngestFrame.Sample(2, true, pts, pts,
                    1024, IngestFrame.Sample.NO_CAPTURE_TIME, audio.frames().get(i))));
        }
        samples.sort(Comparator.comparingDouble(TimedFrame::seconds));
        return new Stream(tracks, samples);
    }

    /**
     * The stream played {@code loops} times back to back on one timeline (video shifted by the clip's length, audio
     * numbered on), for a long live test from a short clip.
     */
    public static Stream loop(Stream clip, int loops) {
        long videoFrames = clip.samples().stream().filter(t -> ((IngestFrame.Sample) t.frame()).trackId() == 0)
                .count();
        double clipSeconds = videoFrames / (double) FPS;
        List<TimedFrame> looped = new ArrayList<>();
        long audioIndex = 0;
        for (int k = 0; k < loops; k++) {
            for (TimedFrame timed : clip.samples()) {
                IngestFrame.Sample s = (IngestFrame.Sample) timed.frame();
                if (s.trackId() == 2) {
                    if (timed.seconds() >= clipSeconds) {
                        continue;
                    }
                    long pts = audioIndex++ * 1024;
                    looped.add(new TimedFrame(pts / 48_000.0, new IngestFrame.Sample(2, true, pts, pts, 1024,
                            s.captureTimeMicros(), s.payload())));
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
