package io.tribune.transcoder.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg pushing a test pattern (testsrc2 with a running counter, a 440 Hz tone) as MPEG-TS over SRT, as a
 * presenter's OBS would. Each instance is one ffmpeg process, killed by {@link #close()} at the latest.
 */
public final class SrtSender implements AutoCloseable {

    private final Process process;
    private final Path log;

    private SrtSender(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts ffmpeg sending {@code seconds} of 640x360 at 30 fps (H.264 + AAC) to {@code port}. */
    public static SrtSender start(int port, String streamId, int seconds, int width, int height) throws IOException {
        Path log = Files.createTempFile("srt-sender", ".log");
        Process process = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-f", "mpegts",
                "srt://127.0.0.1:" + port + "?streamid=" + streamId + "&connect_timeout=5000"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SrtSender(process, log);
    }

    public static boolean ffmpegAvailable() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-protocols").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(20, TimeUnit.SECONDS) && out.lines().anyMatch(l -> l.strip().equals("srt"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the GStreamer elements the transcoder needs are installed. */
    public static boolean gstreamerAvailable() {
        try {
            for (String element : List.of("srtsrc", "intervideosrc", "compositor", "x264enc", "avenc_aac")) {
                Process p = new ProcessBuilder("gst-inspect-1.0", "--exists", element).start();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for ffmpeg to exit; returns its exit status, or -1 if it did not exit in time. */
    public int waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
