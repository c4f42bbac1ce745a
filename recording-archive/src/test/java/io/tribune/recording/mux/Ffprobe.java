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

    /** Every stream of a file (codec and type, in order) and the container's duration. */
    public record Streams(List<Stream> streams, double durationSeconds) {
        public boolean has(String type, String codec) {
            return streams.stream().anyMatch(s -> s.type().equals(type) && s.codec().equals(codec));
        }
    }

    public static Streams probeAll(Path file) throws IOException, InterruptedException {
        String json = run(List.of("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                file.toString()));
        JsonNode root = new ObjectMapper().readTree(json);
        List<Stream> streams = new java.util.ArrayList<>();
        for (JsonNode stream : root.path("streams")) {
            streams.add(new Stream(stream.path("codec_name").asText(), stream.path("codec_type").asText(),
                    stream.path("duration").asDouble(-1)));
        }
        return new Streams(streams, root.path("format").path("duration").asDouble(-1));
    }

    /** The top-level MP4 box types in file order (ISO/IEC 14496-12 section 4.2: 32-bit size, type, 64-bit size). */
    public static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> boxes = new java.util.ArrayList<>();
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long position = 0;
            long size = channel.size();
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(16);
            while (position + 8 <= size) {
                header.clear();
                channel.read(header, position);
                header.flip();
                long boxSize = header.getInt() & 0xFFFF_FFFFL;
                byte[] type = new byte[4];
                header.get(type);
                if (boxSize == 1) {
                    boxSize = header.getLong();
                } else if (boxSize == 0) {
                    boxSize = size - position;
                }
                boxes.add(new String(type, StandardCharsets.US_ASCII));
                if (boxSize < 8) {
                    break;
                }
                position += boxSize;
            }
        }
        return boxes;
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
