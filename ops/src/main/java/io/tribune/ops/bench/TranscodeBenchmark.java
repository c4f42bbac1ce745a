package io.tribune.ops.bench;

import io.tribune.ops.CliException;
import io.tribune.transcoder.pipeline.AppSinkTrack;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.GStreamer;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.LadderPipeline;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.Timeline;
import io.tribune.common.media.TrackKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSink;

/**
 * {@code bench transcode}: the default ladder (1080p/720p/480p/360p; 1080p is dropped for a 720p source, never
 * upscaling) from one generated 720p30 H.264 + AAC file, as fast as it goes. Ours is the transcoder's own ladder
 * pipeline ({@link LadderPipeline#description}, gst1-java-core, appsinks and {@link AppSinkTrack} copying every
 * access unit into ingest frames); the reference is the ffmpeg CLI with the same ladder and the same x264 settings
 * (veryfast, zerolatency, ABR with the same bitrates and a 600 ms VBV, 2 s GOP, no B-frames, no scene cut,
 * bilinear scaling, AAC 128 kbps once). The two alternate, run after run, on the same machine; speed = media
 * seconds / wall seconds; the ratio is ours / ffmpeg's (higher is better). The slate compositor and the SRT input
 * are not in this path (they need a live clock). One untimed run of ours comes first: the service runs warm.
 */
final class TranscodeBenchmark implements Benchmark {

    private static final int SECONDS = 20;

    @Override
    public String name() {
        return "transcode";
    }

    @Override
    public String description() {
        return "default ladder from a 720p30 file: ours vs the ffmpeg CLI (speed_x, ffmpeg_speed_x, ratio)";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        Path dir = Files.createTempDirectory("tribune-bench-transcode");
        try {
            Path input = dir.resolve("input-720p30.mp4");
            System.err.println("generating " + SECONDS + " s of 720p30 H.264 + AAC ...");
            exec(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", Integer.toString(SECONDS), "-c:v", "libx264", "-preset", "veryfast", "-g", "60",
                    "-pix_fmt", "yuv420p", "-b:v", "4000k", "-c:a", "aac", "-b:a", "128k", input.toString()));
            Ladder ladder = Ladder.DEFAULT.forSource(1280, 720);
            EncoderSettings encoder = EncoderSettings.DEFAULT;
            GStreamer.init();
            // A running transcoder is warm (JIT, GStreamer's plugin registry): one untimed run first.
            System.err.printf(Locale.ROOT, "warm-up: ours %.2fx realtime%n", SECONDS / ours(input, ladder, encoder));
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                double o = SECONDS / ours(input, ladder, encoder);
                double f = SECONDS / ffmpeg(input, ladder, encoder);
                ours.add(o);
                theirs.add(f);
                System.err.printf(Locale.ROOT, "run %d/%d: ours %.2fx realtime, ffmpeg %.2fx%n", i, runs, o, f);
            }
            double speed = Benchmarks.median(ours);
            double ffmpegSpeed = Benchmarks.median(theirs);
            return new Result(List.of(
                    String.format(Locale.ROOT, "speed_x=%.2f", speed),
                    String.format(Locale.ROOT, "ffmpeg_speed_x=%.2f", ffmpegSpeed),
                    String.format(Locale.ROOT, "speed_ratio_vs_ffmpeg=%.2f", speed / ffmpegSpeed),
                    "rungs=" + ladder.rungs().stream().map(Rung::name).reduce((a, b) -> a + "," + b).orElse(""),
                    "input_s=" + SECONDS, "runs=" + runs));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Our ladder pipeline on the file; returns wall seconds to EOS. */
    private static double ours(Path input, Ladder ladder, EncoderSettings encoder) throws InterruptedException {
        String video = "filesrc location=\"" + input + "\" ! decodebin name=dec dec. ! queue ! videoconvert"
                + " ! videoscale ! videorate";
        String audio = "dec. ! queue ! audioconvert ! audioresample";
        String description = LadderPipeline.description(ladder, encoder, video, audio);
        Pipeline pipeline = (Pipeline) Gst.parseLaunch(description);
        AtomicLong samples = new AtomicLong();
        Timeline timeline = new Timeline();
        for (int i = 0; i < ladder.rungs().size(); i++) {
            new AppSinkTrack(i, TrackKind.VIDEO, ladder.rungs().get(i), 0, encoder.frameRate(), timeline,
                    frame -> samples.incrementAndGet()).attach((AppSink) pipeline.getElementByName("video" + i));
        }
        new AppSinkTrack(LadderPipeline.AUDIO_TRACK, TrackKind.AUDIO, null, encoder.audioBitrate(),
                encoder.frameRate(), timeline, frame -> samples.incrementAndGet())
                .attach((AppSink) pipeline.getElementByName("audio"));
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> error = new AtomicReference<>();
        Bus bus = pipeline.getBus();
        bus.connect((Bus.EOS) source -> done.countDown());
        bus.connect((Bus.ERROR) (source, code, message) -> {
            error.set(source.getName() + ": " + message);
            done.countDown();
        });
        long start = System.nanoTime();
        pipeline.play();
        boolean finished = done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        pipeline.stop();
        pipeline.dispose();
        if (!finished || error.get() != null) {
            throw new CliException("our transcode failed: " + (finished ? error.get() : "no EOS in 10 minutes"));
        }
        long expected = (long) SECONDS * encoder.frameRate() * ladder.rungs().size();
        if (samples.get() < expected) {
            throw new CliException("our transcode produced " + samples.get() + " samples, expected over " + expected);
        }
        return seconds;
    }

    /** The same ladder with the ffmpeg CLI; returns wall seconds. */
    private static double ffmpeg(Path input, Ladder ladder, EncoderSettings encoder) throws IOException,
            InterruptedException {
        List<Rung> rungs = ladder.rungs();
        StringBuilder filter = new StringBuilder("[0:v]split=" + rungs.size());
        for (int i = 0; i < rungs.size(); i++) {
            filter.append("[s").append(i).append(']');
        }
        for (int i = 0; i < rungs.size(); i++) {
            filter.append(";[s").append(i).append("]scale=").append(rungs.get(i).width()).append(':')
                    .append(rungs.get(i).height()).append(":flags=bilinear[v").append(i).append(']');
        }
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
                "-i", input.toString(), "-filter_complex", filter.toString()));
        for (int i = 0; i < rungs.size(); i++) {
            int kbps = rungs.get(i).bitrateKbps();
            command.addAll(List.of("-map", "[v" + i + "]", "-an", "-c:v", "libx264", "-preset", encoder.preset(),
                    "-tune", encoder.tune(), "-profile:v", "high", "-b:v", kbps + "k", "-maxrate", kbps + "k",
                    "-bufsize", (kbps * 6 / 10) + "k", "-g", Integer.toString(encoder.gopFrames()),
                    "-keyint_min", Integer.toString(encoder.gopFrames()), "-sc_threshold", "0", "-bf", "0",
                    "-f", "null", "-"));
        }
        command.addAll(List.of("-map", "0:a", "-vn", "-c:a", "aac", "-b:a", Integer.toString(encoder.audioBitrate()),
                "-f", "null", "-"));
        long start = System.nanoTime();
        exec(command);
        return (System.nanoTime() - start) / 1e9;
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new CliException("bench transcode needs ffmpeg: apt-get install ffmpeg (" + e.getMessage() + ")");
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new CliException(command.get(0) + " did not finish in 10 minutes");
        }
        if (process.exitValue() != 0) {
            throw new CliException(command.get(0) + " failed: " + new String(output).strip());
        }
    }
}
