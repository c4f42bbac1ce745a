package io.tribune.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** What {@link UpLifecycle} checks of the town-hall services that `tribune up` starts. */
final class TownHalls {

    private TownHalls() {
    }

    /**
     * ffmpeg pushes to the SRT URL `tribune up` prints; the origin then serves the demo event's multivariant
     * playlist to a request signed with the data directory's CDN key, and 403 to an unsigned one.
     */
    static void assertSrtReachesTheOrigin(Settings settings) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String health : new String[] {BroadcastConfigWriter.packagerHealthUrl(settings),
                BroadcastConfigWriter.transcoderHealthUrl(settings)}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(health)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(health + ": " + response.body()).isEqualTo(200);
        }
        String master = BroadcastConfigWriter.originUrl(settings) + "/hls/" + BroadcastConfigWriter.DEMO_EVENT
                + "/master.m3u8";
        assertThat(http.send(HttpRequest.newBuilder(URI.create(master)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("unsigned").isEqualTo(403);

        CloudFrontSigner signer = new CloudFrontSigner(BroadcastConfigWriter.CDN_KEY_ID,
                PemKeys.privateKey(Files.readString(BroadcastConfigWriter.cdnPrivateKey(settings))));
        String signed = signer.signUrl(master, BroadcastConfigWriter.originUrl(settings) + "/hls/"
                + BroadcastConfigWriter.DEMO_EVENT + "/*", Instant.now().plus(Duration.ofMinutes(10)));
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", "60", "-c:v", "libx264", "-preset", "ultrafast",
                "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", BroadcastConfigWriter.srtUrl(settings))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            HttpResponse<String> response;
            do {
                Thread.sleep(500);
                response = http.send(HttpRequest.newBuilder(URI.create(signed)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } while (response.statusCode() != 200 && System.nanoTime() < deadline);
            assertThat(response.statusCode()).as("the signed multivariant playlist").isEqualTo(200);
            assertThat(response.body()).contains("#EXTM3U").contains("360p/index.m3u8");
        } finally {
            ffmpeg.destroy();
            if (!ffmpeg.waitFor(5, TimeUnit.SECONDS)) {
                ffmpeg.destroyForcibly();
            }
        }
    }
}
