package io.tribune.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocol;
import io.tribune.common.media.IngestWriter;
import io.tribune.hls.ingest.IngestFeeder;
import io.tribune.hls.ingest.SyntheticMedia;
import io.tribune.hls.testing.LlHlsConformance;
import io.tribune.hls.testing.PlaylistText;
import io.tribune.platform.S3Component;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The packager end to end: real H.264 + AAC from ffmpeg through the ingest protocol, LL-HLS checked live by our
 * conformance checker, every rung decoded by ffprobe/ffmpeg, the replay from object storage (S3Proxy), and the
 * CloudFront-style signature checks.
 */
class HlsPackagerIT {

    private static final String CDN = "https://cdn.test";

    @TempDir
    static Path dir;

    private static S3Component s3;
    private static DropwizardTestSupport<HlsPackagerConfiguration> app;
    private static CloudFrontSigner signer;
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
        app = new DropwizardTestSupport<>(HlsPackagerApplication.class,
                ResourceHelpers.resourceFilePath("hls-packager-test.yml"),
                ConfigOverride.config("signatures.trustedKeys.K1TEST", publicKey.toString()),
                ConfigOverride.config("storage.endpoint", s3.endpoint()),
                ConfigOverride.config("storage.accessKey", s3.accessKey()),
                ConfigOverride.config("storage.secretKey", s3.secretKey()),
                ConfigOverride.config("storage.region", s3.region()));
        app.before();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        if (s3 != null) {
            s3.stop();
        }
    }

    private static int ingestPort() {
        return ((HlsPackagerApplication) app.getApplication()).ingestServer().port();
    }

    private static URI origin(String path) {
        return URI.create("http://127.0.0.1:" + app.getLocalPort() + path);
    }

    private static String cookiesFor(String eventId, Instant expires) {
        return signer.cookies(CDN + "/hls/" + eventId + "/*", expires).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }

    private static HttpResponse<byte[]> get(URI uri, String cookies) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void liveLadderFromFfmpegIsConformantDecodableAlignedAndReplayable() throws Exception {
        assumeTrue(SyntheticMedia.ffmpegAvailable(), "needs ffmpeg and ffprobe (Debian package ffmpeg)");
        Path media = Files.createDirectories(dir.resolve("media"));
        SyntheticMedia.Stream stream = SyntheticMedia.generate(media, 6);
        String cookies = cookiesFor("th1", Instant.now().plusSeconds(600));

        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try {
                IngestFeeder.feed(ingestPort(), "th1", "", stream, 1.0, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String master = null;
        for (int i = 0; i < 100 && master == null; i++) {
            HttpResponse<byte[]> response = get(origin("/hls/th1/master.m3u8"), cookies);
            if (response.statusCode() == 200) {
                master = text(response);
            } else {
                Thread.sleep(50);
            }
        }
        assertThat(master).isNotNull();
        assertThat(master).contains("CODECS=\"avc1.64000d,mp4a.40.2\",RESOLUTION=320x180", "RESOLUTION=192x108",
                "TYPE=SUBTITLES");

        List<LlHlsConformance> checkers = new ArrayList<>();
        List<CompletableFuture<List<String>>> runs = new ArrayList<>();
        for (String rung : List.of("180p", "108p")) {
            LlHlsConformance checker = new LlHlsConformance(HTTP, origin("/hls/th1/" + rung + "/index.m3u8"),
                    cookies);
            checkers.add(checker);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return checker.follow(Duration.ofSeconds(30));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        feeding.get();
        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).get()).as("LL-HLS violations").isEmpty();
            LlHlsConformance checker = checkers.get(i);
            System.out.printf("conformance %s: %d playlist loads, %d parts checked, %d preload hints resolved, "
                    + "median blocking reload %d ms%n", i == 0 ? "180p" : "108p", checker.reloads(),
                    checker.partsChecked(), checker.hintsResolved(), checker.medianBlockingMillis());
            assertThat(checker.partsChecked()).isGreaterThanOrEqualTo(10);
            assertThat(checker.hintsResolved()).isGreaterThanOrEqualTo(5);
        }

        // ffprobe and ffmpeg decode each rung (init + every segment) without an error, keyframes aligned.
        List<List<String>> keyframeTimes = new ArrayList<>();
        for (String rung : List.of("180p", "108p")) {
            PlaylistText.Media playlist = PlaylistText.media(text(get(origin("/hls/th1/" + rung + "/index.m3u8"),
                    cookies)));
            assertThat(playlist.endList()).isTrue();
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.writeBytes(get(origin("/hls/th1/" + rung + "/" + playlist.map()), cookies).body());
            for (PlaylistText.SegmentEntry segment : playlist.segments()) {
                HttpResponse<byte[]> response = get(origin("/hls/th1/" + rung + "/" + segment.uri()), cookies);
                assertThat(response.statusCode()).isEqualTo(200);
                file.writeBytes(response.body());
            }
            Path mp4 = media.resolve(rung + ".mp4");
            Files.write(mp4, file.toByteArray());
            String decodeErrors = SyntheticMedia.tool(media, "ffmpeg", "-nostdin", "-v", "error", "-i", mp4.toString(),
                    "-f", "null", "-");
            assertThat(decodeErrors).as("ffmpeg decode errors for " + rung).isEmpty();
            String streams = SyntheticMedia.tool(media, "ffprobe", "-v", "error", "-show_entries",
                    "stream=codec_name,width,height,sample_rate,channels", "-of", "csv=p=0", mp4.toString());
            assertThat(streams).contains("h264", "aac,48000,2");
            String frames = SyntheticMedia.tool(media, "ffprobe", "-v", "error", "-select_streams", "v:0",
                    "-show_entries", "frame=key_frame,pts_time", "-of", "csv=p=0", mp4.toString());
            List<String> lines = frames.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("decoded frames of " + rung).hasSize(180);
            keyframeTimes.add(lines.stream().filter(l -> l.startsWith("1,")).toList());
        }
        assertThat(keyframeTimes.get(0)).hasSize(3).isEqualTo(keyframeTimes.get(1));

        // The replay: once out of memory (1 s after the end in this configuration), from object storage.
        awaitArchived("th1/108p/index.m3u8");
        Thread.sleep(1100);
        HttpResponse<byte[]> vod = get(origin("/hls/th1/108p/index.m3u8"), cookies);
        assertThat(vod.statusCode()).isEqualTo(200);
        assertThat(((HlsPackagerApplication) app.getApplication()).registry().get("th1")).isNull();
        PlaylistText.Media replay = PlaylistText.media(text(vod));
        assertThat(text(vod)).contains("#EXT-X-PLAYLIST-TYPE:VOD");
        assertThat(replay.endList()).isTrue();
        assertThat(replay.segments()).hasSize(3);
        assertThat(get(origin("/hls/th1/108p/" + replay.segments().get(2).uri()), cookies).statusCode())
                .isEqualTo(200);
        assertThat(text(get(origin("/hls/th1/master.m3u8"), cookies))).contains("108p/index.m3u8");
    }

    private static void awaitArchived(String key) throws InterruptedException {
        try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(s3.region())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
                        s3.secretKey()))).build()) {
            for (int i = 0; i < 100; i++) {
                try {
                    client.headObject(b -> b.bucket("tribune-hls-test").key("hls/" + key));
                    return;
                } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                    Thread.sleep(100);
                }
            }
        }
        throw new AssertionError(key + " never reached object storage");
    }

    @Nested
    class Signatures {

        @Test
        void refusesUnsignedTamperedExpiredAndOtherEventsRequests() throws Exception {
            URI master = origin("/hls/th2/master.m3u8");
            assertThat(get(master, null).statusCode()).isEqualTo(403);
            assertThat(get(master, cookiesFor("other", Instant.now().plusSeconds(600))).statusCode()).isEqualTo(403);
            assertThat(get(master, cookiesFor("th2", Instant.now().minusSeconds(1))).statusCode()).isEqualTo(403);
            String valid = cookiesFor("th2", Instant.now().plusSeconds(600));
            int at = valid.indexOf("CloudFront-Signature=") + "CloudFront-Signature=".length() + 10;
            String tampered = valid.substring(0, at) + (valid.charAt(at) == 'A' ? 'B' : 'A') + valid.substring(at + 1);
            assertThat(get(master, tampered).statusCode()).isEqualTo(403);
            HttpResponse<byte[]> denied = get(origin("/hls/th2/180p/r1/p0.m4s"), null);
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.headers().firstValue("Cache-Control")).hasValue("no-store");
            // Signed, but there is no such event: past the signature check.
            assertThat(get(master, valid).statusCode()).isEqualTo(404);
            String signedUrl = signer.signUrl(CDN + "/hls/th2/master.m3u8", CDN + "/hls/th2/*",
                    Instant.now().plusSeconds(60));
            assertThat(get(origin(signedUrl.substring(CDN.length())), null).statusCode()).isEqualTo(404);
        }

        @Test
        void letsTheWebClientsOriginFetchWithCookies() throws Exception {
            URI master = origin("/hls/th2/master.m3u8");
            HttpResponse<Void> preflight = HTTP.send(HttpRequest.newBuilder(master)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://tribune.test")
                    .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.discarding());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
            HttpResponse<Void> get = HTTP.send(HttpRequest.newBuilder(master).header("Origin", "https://tribune.test")
                    .header("Cookie", cookiesFor("th2", Instant.now().plusSeconds(60))).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://tribune.test");
            HttpResponse<Void> stranger = HTTP.send(HttpRequest.newBuilder(master).header("Origin", "https://evil.test")
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }

        @Test
        void authEndpointAnswersTheEdgesQuestion() throws Exception {
            String valid = cookiesFor("th3", Instant.now().plusSeconds(600));
            HttpRequest.Builder ok = HttpRequest.newBuilder(origin("/auth"))
                    .header("X-Original-URI", "/hls/th3/180p/index.m3u8?_HLS_msn=3&_HLS_part=1")
                    .header("Cookie", valid);
            assertThat(HTTP.send(ok.build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
            HttpRequest.Builder other = HttpRequest.newBuilder(origin("/auth"))
                    .header("X-Original-URI", "/hls/th4/master.m3u8").header("Cookie", valid);
            HttpResponse<Void> denied = HTTP.send(other.build(), HttpResponse.BodyHandlers.discarding());
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.headers().firstValue("X-Tribune-Denied")).hasValue("WRONG_RESOURCE");
        }
    }

    @Test
    void blockingReloadRefusesBadRequestsAndGivesUpWith503WhenTheStreamStalls() throws Exception {
        assumeTrue(SyntheticMedia.ffmpegAvailable(), "needs ffmpeg (Debian package ffmpeg)");
        Path media = Files.createDirectories(dir.resolve("stall"));
        SyntheticMedia.Stream stream = SyntheticMedia.generate(media, 4);
        String cookies = cookiesFor("th5", Instant.now().plusSeconds(600));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), ingestPort());
             IngestWriter writer = new IngestWriter(socket.getOutputStream())) {
            writer.write(new IngestFrame.Hello(IngestProtocol.VERSION, "th5", ""));
            for (IngestFrame.TrackAnnounce track : stream.tracks()) {
                writer.write(track);
            }
            // Three seconds of media (segment 1 and two parts of segment 2: a playlist is served once it lists a
            // complete segment), then nothing: the transcoder has stalled but keeps its connection.
            for (SyntheticMedia.TimedFrame timed : stream.samples()) {
                if (timed.seconds() < 3.0) {
                    writer.write(timed.frame());
                }
            }
            writer.flush();
            URI playlist = origin("/hls/th5/180p/index.m3u8");
            HttpResponse<byte[]> live = null;
            for (int i = 0; i < 100; i++) {
                live = get(playlist, cookies);
                if (live.statusCode() == 200 && text(live).contains("p6.m4s")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(live.headers().firstValue("Cache-Control"))
                    .hasValue("public, max-age=1, stale-while-revalidate=1");
            assertThat(get(URI.create(playlist + "?_HLS_part=1"), cookies).statusCode()).isEqualTo(400);
            assertThat(get(URI.create(playlist + "?_HLS_msn=x"), cookies).statusCode()).isEqualTo(400);
            assertThat(get(URI.create(playlist + "?_HLS_msn=9"), cookies).statusCode()).isEqualTo(400);
            assertThat(get(URI.create(playlist + "?_HLS_msn=2&_HLS_part=9"), cookies).statusCode()).isEqualTo(400);
            HttpResponse<byte[]> existing = get(URI.create(playlist + "?_HLS_msn=2&_HLS_part=0"), cookies);
            assertThat(existing.statusCode()).isEqualTo(200);
            assertThat(existing.headers().firstValue("Cache-Control")).hasValue("public, max-age=6");

            long started = System.nanoTime();
            HttpResponse<byte[]> stalled = get(URI.create(playlist + "?_HLS_msn=3"), cookies);
            double waited = (System.nanoTime() - started) / 1e9;
            System.out.printf("blocking reload on a stalled stream: %d after %.2f s%n", stalled.statusCode(), waited);
            assertThat(stalled.statusCode()).isEqualTo(503);
            assertThat(waited).isBetween(5.5, 8.0); // three target durations of 2 s
            assertThat(get(URI.create(playlist.toString().replace("index.m3u8", "r0/p1.m4s")), cookies)
                    .statusCode()).isEqualTo(404);
        }
    }

    @Test
    void exposesHealthAndPrometheusMetrics() throws Exception {
        URI admin = URI.create("http://127.0.0.1:" + app.getAdminPort());
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(admin.resolve("/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"ingest\"", "\"object-storage\"");
        String metrics = HTTP.send(HttpRequest.newBuilder(admin.resolve("/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("hls_ingest_connections_accepted", "hls_origin_signature_denied",
                "hls_archive_objects_stored", "hls_origin_blocking_waits");
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
