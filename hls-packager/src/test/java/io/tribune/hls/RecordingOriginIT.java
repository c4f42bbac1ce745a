package io.tribune.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import io.tribune.hls.edge.NginxEdge;
import io.tribune.platform.S3Component;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The recordings origin against a real S3Proxy bucket: signed URLs (as the api-server makes them) play with byte
 * ranges; unsigned, expired, tampered, another recording's signature and traversal are refused; missing objects are
 * 404; the nginx edge passes ranges through and refuses what the origin refuses.
 */
class RecordingOriginIT {

    private static final String CDN = "https://cdn.test";
    private static final String BUCKET = "tribune-recordings-test";

    @TempDir
    static Path dir;

    private static S3Component s3;
    private static S3Client client;
    private static DropwizardTestSupport<HlsPackagerConfiguration> app;
    private static CloudFrontSigner signer;
    private static byte[] mp4;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        signer = new CloudFrontSigner("K1TEST", keys.getPrivate());
        Path publicKey = dir.resolve("k1.pem");
        Files.writeString(publicKey, PemKeys.pem(keys.getPublic()));

        s3 = new S3Component(dir, 0);
        s3.start();
        client = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.of(s3.region()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build();
        client.createBucket(b -> b.bucket(BUCKET));
        mp4 = new byte[300_000];
        new Random(8).nextBytes(mp4);
        put("recordings/rec1/view/recording.mp4", mp4, "video/mp4");
        put("recordings/rec1/view/thumbnails.vtt", "WEBVTT\n".getBytes(StandardCharsets.UTF_8), "text/vtt");
        put("recordings/rec1/tracks/t1.webm", Arrays.copyOf(mp4, 1000), "video/webm");
        put("recordings/rec2/view/recording.mp4", Arrays.copyOf(mp4, 2000), "video/mp4");

        app = new DropwizardTestSupport<>(HlsPackagerApplication.class,
                ResourceHelpers.resourceFilePath("hls-packager-test.yml"),
                ConfigOverride.config("signatures.trustedKeys.K1TEST", publicKey.toString()),
                ConfigOverride.config("storage.enabled", "false"),
                ConfigOverride.config("recordings.endpoint", s3.endpoint()),
                ConfigOverride.config("recordings.accessKey", s3.accessKey()),
                ConfigOverride.config("recordings.secretKey", s3.secretKey()),
                ConfigOverride.config("recordings.region", s3.region()),
                ConfigOverride.config("recordings.bucket", BUCKET));
        app.before();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.stop();
        }
    }

    private static void put(String key, byte[] bytes, String type) {
        client.putObject(b -> b.bucket(BUCKET).key(key).contentType(type), RequestBody.fromBytes(bytes));
    }

    /** The query the api-server hands out: one policy over the recording's view/ folder. */
    private static String viewQuery(String recordingId, Instant expires) {
        String pattern = CDN + "/recordings/" + recordingId + "/view/*";
        String signed = signer.signUrl(CDN + "/recordings/" + recordingId + "/view/recording.mp4", pattern, expires);
        return signed.substring(signed.indexOf('?') + 1);
    }

    private static HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
        return send("GET", app.getLocalPort(), pathAndQuery, headers);
    }

    private static HttpResponse<byte[]> send(String method, int port, String pathAndQuery, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void signedUrlServesTheWholeObjectWithItsTypeEtagAndRanges() throws Exception {
        String query = viewQuery("rec1", Instant.now().plusSeconds(600));
        HttpResponse<byte[]> whole = get("/recordings/rec1/view/recording.mp4?" + query);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(mp4);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"");

        HttpResponse<byte[]> middle = get("/recordings/rec1/view/recording.mp4?" + query, "Range", "bytes=1000-1999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(mp4, 1000, 2000));
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/300000");
        assertThat(middle.headers().firstValueAsLong("Content-Length")).hasValue(1000);

        HttpResponse<byte[]> open = get("/recordings/rec1/view/recording.mp4?" + query, "Range", "bytes=299990-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(mp4, 299_990, 300_000));

        HttpResponse<byte[]> suffix = get("/recordings/rec1/view/recording.mp4?" + query, "Range", "bytes=-5");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(mp4, 299_995, 300_000));

        HttpResponse<byte[]> beyond = get("/recordings/rec1/view/recording.mp4?" + query, "Range",
                "bytes=400000-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */300000");

        HttpResponse<byte[]> staleIfRange = get("/recordings/rec1/view/recording.mp4?" + query, "Range",
                "bytes=0-9", "If-Range", "\"other\"");
        assertThat(staleIfRange.statusCode()).isEqualTo(200);
        assertThat(staleIfRange.body()).hasSize(300_000);

        HttpResponse<byte[]> head = send("HEAD", app.getLocalPort(), "/recordings/rec1/view/recording.mp4?" + query);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(300_000);
        assertThat(head.body()).isEmpty();

        HttpResponse<byte[]> cached = get("/recordings/rec1/view/recording.mp4?" + query, "If-None-Match", etag);
        assertThat(cached.statusCode()).isEqualTo(304);

        HttpResponse<byte[]> vtt = get("/recordings/rec1/view/thumbnails.vtt?" + query);
        assertThat(vtt.statusCode()).isEqualTo(200);
        assertThat(vtt.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/vtt");
    }

    @Test
    void downloadUrlSignedForOneFileCarriesAnAttachmentName() throws Exception {
        String url = CDN + "/recordings/rec1/tracks/t1.webm?download=1";
        String signed = signer.signUrl(url, url, Instant.now().plusSeconds(600));
        HttpResponse<byte[]> download = get(signed.substring(CDN.length()));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Arrays.copyOf(mp4, 1000));
        assertThat(download.headers().firstValue("Content-Type")).hasValue("video/webm");
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"t1.webm\"");
        // The same signature does not open the file without its download parameter, nor another file.
        String query = signed.substring(signed.indexOf("download=1&") + "download=1&".length());
        assertThat(get("/recordings/rec1/tracks/t1.webm?" + query).statusCode()).isEqualTo(403);
        assertThat(get("/recordings/rec1/view/recording.mp4?download=1&" + query).statusCode()).isEqualTo(403);
    }

    @Test
    void refusesUnsignedExpiredTamperedAndOtherRecordingsSignatures() throws Exception {
        assertThat(get("/recordings/rec1/view/recording.mp4").statusCode()).isEqualTo(403);
        assertThat(get("/recordings/rec1/view/recording.mp4", "Range", "bytes=0-99").statusCode()).isEqualTo(403);

        String expired = viewQuery("rec1", Instant.now().minusSeconds(5));
        HttpResponse<byte[]> late = get("/recordings/rec1/view/recording.mp4?" + expired);
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("expired");

        String query = viewQuery("rec1", Instant.now().plusSeconds(600));
        int at = query.indexOf("Signature=") + "Signature=".length() + 10;
        char flipped = query.charAt(at) == 'A' ? 'B' : 'A';
        String tampered = query.substring(0, at) + flipped + query.substring(at + 1);
        assertThat(get("/recordings/rec1/view/recording.mp4?" + tampered).statusCode()).isEqualTo(403);

        // rec1's policy does not cover rec2, nor rec1's own track files (only view/).
        assertThat(get("/recordings/rec2/view/recording.mp4?" + query).statusCode()).isEqualTo(403);
        assertThat(get("/recordings/rec1/tracks/t1.webm?" + query).statusCode()).isEqualTo(403);
    }

    @Test
    void traversalNeverReachesAnotherRecordingOrObject() throws Exception {
        String query = viewQuery("rec1", Instant.now().plusSeconds(600));
        for (String path : new String[] {
            "/recordings/rec1/view/../../rec2/view/recording.mp4",
            "/recordings/rec1/view/%2e%2e/%2e%2e/rec2/view/recording.mp4",
            "/recordings/rec1/view/..%2f..%2frec2/view/recording.mp4",
            "/recordings/rec1/view/%2E%2E%2F%2E%2E%2Frec2%2Fview%2Frecording.mp4",
            "/recordings/rec1/view/.hidden",
            "/recordings/rec1/view//recording.mp4"}) {
            int status = rawGet(path + "?" + query);
            assertThat(status).as(path).isIn(400, 403, 404);
        }
        // A signed path the archive never writes is refused by the origin itself, before object storage.
        assertThat(get("/recordings/rec1/view/a:b?" + query).statusCode()).isEqualTo(400);
        assertThat(get("/recordings/rec1/view/missing.mp4?" + query).statusCode()).isEqualTo(404);
    }

    /** Sends the request line exactly as written (HTTP clients normalise dot segments away). */
    private static int rawGet(String pathAndQuery) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.getLocalPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String statusLine = response.substring(0, response.indexOf("\r\n"));
            assertThat(response).as(pathAndQuery).doesNotContain("Content-Range");
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void nginxEdgePassesRangesThroughAndRefusesUnsigned() throws Exception {
        assumeTrue(NginxEdge.available(), "needs nginx (Debian package nginx-light)");
        Path www = Files.createDirectories(dir.resolve("www"));
        try (NginxEdge edge = NginxEdge.start(Files.createDirectories(dir.resolve("edge")), www,
                app.getLocalPort())) {
            String query = viewQuery("rec1", Instant.now().plusSeconds(600));
            HttpResponse<byte[]> range = send("GET", edge.port(), "/recordings/rec1/view/recording.mp4?" + query,
                    "Range", "bytes=10-19");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(mp4, 10, 20));
            assertThat(send("GET", edge.port(), "/recordings/rec1/view/recording.mp4").statusCode())
                    .isEqualTo(403);
        }
    }
}
