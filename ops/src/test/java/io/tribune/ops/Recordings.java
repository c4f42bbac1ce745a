package io.tribune.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a recording left behind under {@code tribune up}: the catalogue (through the page's own API client, as the
 * signed-in host) and the objects in the embedded S3 (with the credentials `tribune up` wrote for the archive).
 */
final class Recordings {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The archive completes a recording a few seconds after its tracks end; the machine may be loaded. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String GET_RECORDING = """
            const done = arguments[arguments.length - 1];
            import('/app/js/api.js').then((api) => api.call('GET', '/api/v1/recordings/' + arguments[0]))
              .then((r) => done(JSON.stringify(r))).catch((e) => done(JSON.stringify({ error: String(e) })));
            """;

    private Recordings() {
    }

    /**
     * Waits until recording {@code id} is ready, then checks it has a camera and a microphone file for each of
     * {@code people}, each stored whole (size and SHA-256 as the catalogue says) and read by ffprobe as VP8 or Opus.
     */
    static void assertStored(TribuneUp tribune, Browser host, String id, int people) throws Exception {
        JsonNode recording = host.until(READY_TIMEOUT, b -> read(b, id),
                r -> !r.path("status").asText().equals("recording") && !r.path("status").asText()
                        .equals("processing"));
        assertThat(recording.path("status").asText()).as("recording %s", recording).isEqualTo("ready");
        List<JsonNode> files = List.copyOf(recording.path("files").findParents("object_key"));
        assertThat(files.stream().filter(f -> f.path("track_id").asText().startsWith("camera-")).count())
                .as("camera files in %s", recording).isEqualTo(people);
        assertThat(files.stream().filter(f -> f.path("track_id").asText().startsWith("microphone-")).count())
                .as("microphone files in %s", recording).isEqualTo(people);
        assertThat(recording.path("duration_ms").asLong()).as("duration").isPositive();

        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(tribune.settings().configDir()
                .resolve("recording-archive.yml").toFile()).path("storage");
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(config.path("endpoint").asText()))
                .region(Region.of(config.path("region").asText()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.path("accessKey").asText(), config.path("secretKey").asText())))
                .forcePathStyle(true).build()) {
            for (JsonNode file : files) {
                byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(config.path("bucket").asText())
                        .key(file.path("object_key").asText())).asByteArray();
                assertThat((long) bytes.length).as("size of %s", file).isEqualTo(file.path("size_bytes").asLong());
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                        .as("SHA-256 of %s", file).isEqualTo(file.path("sha256").asText());
                String track = file.path("track_id").asText();
                if (track.startsWith("camera-") || track.startsWith("microphone-")) {
                    Path local = Files.createTempFile("recorded-", ".webm");
                    try {
                        Files.write(local, bytes);
                        assertThat(ffprobeCodec(local)).as("codec of %s", file)
                                .isEqualTo(track.startsWith("camera-") ? "vp8" : "opus");
                    } finally {
                        Files.deleteIfExists(local);
                    }
                }
            }
        }
    }

    private static JsonNode read(Browser browser, String id) {
        try {
            return JSON.readTree((String) browser.asyncScript(GET_RECORDING, id));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String ffprobeCodec(Path file) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ffprobe did not finish for " + file);
        }
        return out;
    }
}
