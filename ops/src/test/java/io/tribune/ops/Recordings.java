package io.tribune.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private static final String POST_PLAYBACK = """
            const done = arguments[arguments.length - 1];
            import('/app/js/api.js').then((api) => api.call('POST', '/api/v1/recordings/' + arguments[0]
              + '/playback')).then((r) => done(JSON.stringify(r)))
              .catch((e) => done(JSON.stringify({ error: String(e) })));
            """;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Recordings() {
    }

    /**
     * The composed recording: an H.264 + AAC MP4 in S3 as long as the recording (within 1 s of stop minus start),
     * played by the host through a signed URL of the real origin (hls-packager) from the player page, while the
     * same URL without its signature is refused.
     */
    static void assertPlayable(TribuneUp tribune, Browser host, String id) throws Exception {
        JsonNode recording = read(host, id);
        JsonNode composed = null;
        for (JsonNode file : recording.path("files")) {
            if (file.path("kind").asText().equals("composed")) {
                composed = file;
            }
        }
        assertThat(composed).as("the composed MP4 in %s", recording).isNotNull();
        double recorded = Duration.between(java.time.Instant.parse(recording.path("started_at").asText()),
                java.time.Instant.parse(recording.path("stopped_at").asText())).toMillis() / 1000.0;
        Path local = Files.createTempFile("composed-", ".mp4");
        try {
            byte[] bytes;
            try (Storage storage = storage(tribune)) {
                bytes = storage.read(composed.path("object_key").asText());
            }
            Files.write(local, bytes);
            assertThat(ffprobe(local, "stream=codec_name").split("\\s+")).as("streams of the composed MP4")
                    .containsExactlyInAnyOrder("h264", "aac");
            double duration = Double.parseDouble(ffprobe(local, "format=duration"));
            assertThat(duration).as("composed duration vs the %.1f s recorded", recorded)
                    .isCloseTo(recorded, org.assertj.core.data.Offset.offset(1.0));
        } finally {
            Files.deleteIfExists(local);
        }

        JsonNode pass = JSON.readTree((String) host.asyncScript(POST_PLAYBACK, id));
        String video = pass.path("video_url").asText();
        assertThat(video).as("playback pass %s", pass).contains("/recordings/" + id + "/view/recording.mp4?");
        HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(URI.create(video)).header("Range", "bytes=0-15")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).as("a signed range request to the origin").isEqualTo(206);
        assertThat(new String(head.body(), 4, 4, StandardCharsets.US_ASCII)).as("an MP4 begins").isEqualTo("ftyp");
        HttpResponse<byte[]> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(video.substring(0,
                video.indexOf('?')))).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(unsigned.statusCode()).as("the same URL unsigned").isEqualTo(403);

        host.go(tribune.baseUrl() + "/app/#/recordings/" + id);
        Object playable = host.until(READY_TIMEOUT, b -> b.script("const v = document.querySelector('video');"
                + " return v && v.readyState >= 1 && Number.isFinite(v.duration) ? v.duration : null"),
                d -> d != null);
        assertThat(((Number) playable).doubleValue()).as("the player page's video duration")
                .isCloseTo(recorded, org.assertj.core.data.Offset.offset(1.5));
        host.snap("recording-player");
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

        try (Storage storage = storage(tribune)) {
            for (JsonNode file : files) {
                byte[] bytes = storage.read(file.path("object_key").asText());
                assertThat((long) bytes.length).as("size of %s", file).isEqualTo(file.path("size_bytes").asLong());
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                        .as("SHA-256 of %s", file).isEqualTo(file.path("sha256").asText());
                String track = file.path("track_id").asText();
                if (track.startsWith("camera-") || track.startsWith("microphone-")) {
                    Path local = Files.createTempFile("recorded-", ".webm");
                    try {
                        Files.write(local, bytes);
                        assertThat(ffprobe(local, "stream=codec_name")).as("codec of %s", file)
                                .isEqualTo(track.startsWith("camera-") ? "vp8" : "opus");
                    } finally {
                        Files.deleteIfExists(local);
                    }
                }
            }
        }
    }

    /** The archive's bucket in the embedded S3, with the credentials `tribune up` wrote for the archive. */
    private record Storage(S3Client s3, String bucket) implements AutoCloseable {
        byte[] read(String key) {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        }

        @Override
        public void close() {
            s3.close();
        }
    }

    private static Storage storage(TribuneUp tribune) throws java.io.IOException {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(tribune.settings().configDir()
                .resolve("recording-archive.yml").toFile()).path("storage");
        return new Storage(S3Client.builder().endpointOverride(URI.create(config.path("endpoint").asText()))
                .region(Region.of(config.path("region").asText()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.path("accessKey").asText(), config.path("secretKey").asText())))
                .forcePathStyle(true).build(), config.path("bucket").asText());
    }

    private static JsonNode read(Browser browser, String id) {
        try {
            return JSON.readTree((String) browser.asyncScript(GET_RECORDING, id));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** ffprobe's values of {@code entries} (e.g. {@code stream=codec_name}) for {@code file}, one per line. */
    private static String ffprobe(Path file, String entries) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", entries,
                "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ffprobe did not finish for " + file);
        }
        return out;
    }
}
