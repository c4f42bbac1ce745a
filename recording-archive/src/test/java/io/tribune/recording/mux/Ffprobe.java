package io.tribune.recording.mux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The ffprobe and ffmpeg CLIs (Debian's, independent of the FFmpeg inside javacv) as a second opinion. */
public final class Ffprobe {

    /** The first stream of a file: its codec and the container's duration. */
    public record Stream(String codec, String type, double durationSeconds) {
    }

    private Ffprobe() {
    }

    public static Stream probe(Path file) throws IOException, InterruptedException {
        String json = run(List.of("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                file.toString()));
        JsonNode root = new ObjectMapper().readTree(json);
        JsonNode stream = root.path("streams").path(0);
        return new Stream(stream.path("codec_name").asText(), stream.path("codec_type").asText(),
                root.path("format").path("duration").asDouble(-1));
    }

    /** What ffmpeg reports while decoding the whole file (empty when it decodes cleanly). */
    public static String decodeErrors(Path file) throws IOException, InterruptedException {
        return run(List.of("ffmpeg", "-v", "error", "-nostdin", "-i", file.toString(), "-f", "null", "-")).trim();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed (" + process.exitValue() + "): " + text);
        }
        return text;
    }
}
