package io.tribune.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import io.tribune.hls.edge.NginxEdge;
import io.tribune.hls.ingest.IngestFeeder;
import io.tribune.hls.ingest.SyntheticMedia;
import io.tribune.hls.live.LiveEvent;
import io.tribune.hls.testing.HlsJsDiagnostics;
import io.tribune.hls.testing.HlsJsPlayer;
import io.tribune.hls.testing.LlHlsConformance;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a town-hall viewer gets: hls.js (the WebJar) in Debian's headless Chromium plays the live LL-HLS ladder, with
 * the subtitles track selected as the audience page has it unless captions are off, through Debian's nginx as the
 * caching edge, with signed cookies checked by auth_request against the origin; three
 * simulated low-latency viewers follow the same playlists through the edge with our conformance checker. Prints
 * hls.js's latency and the edge's offload.
 */
class HlsEdgePlaybackIT {

    private static final String CDN = "https://cdn.test";

    @TempDir
    Path dir;

    @Test
    void hlsJsPlaysTheLiveLadderThroughTheEdgeWithoutStalls() throws Exception {
        assumeTrue(SyntheticMedia.ffmpegAvailable(), "needs ffmpeg (Debian package ffmpeg)");
        assumeTrue(NginxEdge.available(), "needs nginx (Debian package nginx-light)");
        assumeTrue(HlsJsPlayer.available(), "needs chromium and chromium-driver (Debian packages)");

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        CloudFrontSigner signer = new CloudFrontSigner("K1EDGE", keys.getPrivate());
        Path publicKey = dir.resolve("k1.pem");
        Files.writeString(publicKey, PemKeys.pem(keys.getPublic()));
        Map<String, String> cookies = signer.cookies(CDN + "/hls/th9/*", Instant.now().plusSeconds(900));
        String cookieHeader = cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));

        DropwizardTestSupport<HlsPackagerConfiguration> app = new DropwizardTestSupport<>(
                HlsPackagerApplication.class, ResourceHelpers.resourceFilePath("hls-packager-test.yml"),
                ConfigOverride.config("signatures.trustedKeys.K1EDGE", publicKey.toString()),
                ConfigOverride.config("storage.enabled", "false"));
        app.before();
        Path www = Files.createDirectories(dir.resolve("www"));
        HlsJsPlayer.writePage(www, "player/index.html");
        Path media = Files.createDirectories(dir.resolve("media"));
        // 48 s live: the 30 s watch starts at the first frame, a few seconds in, so the stream outlasts it even on
        // a loaded machine.
        SyntheticMedia.Stream stream = SyntheticMedia.loop(SyntheticMedia.generate(media, 6), 8);
        int ingestPort = ((HlsPackagerApplication) app.getApplication()).ingestServer().port();

        ChromeDriver browser = null;
        boolean described = false;
        try (NginxEdge edge = NginxEdge.start(Files.createDirectories(dir.resolve("edge")), www,
                app.getLocalPort())) {
            String base = "http://127.0.0.1:" + edge.port();
            HttpClient http = HttpClient.newHttpClient();
            // The browser starts (seconds, on a busy machine) before the stream does.
            browser = HlsJsPlayer.chromium(dir.resolve("profile"));
            browser.get(base + "/index.html");
            for (Map.Entry<String, String> cookie : cookies.entrySet()) {
                browser.manage().addCookie(new Cookie(cookie.getKey(), cookie.getValue(), "/"));
            }
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                try {
                    IngestFeeder.feed(ingestPort, "th9", "", stream, 1.0, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            URI master = URI.create(base + "/hls/th9/master.m3u8");
            assertThat(http.send(HttpRequest.newBuilder(master).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).as("unsigned through the edge").isEqualTo(403);
            for (int i = 0; i < 100; i++) {
                if (http.send(HttpRequest.newBuilder(master).header("Cookie", cookieHeader).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
                Thread.sleep(100);
            }

            List<LlHlsConformance> viewers = new ArrayList<>();
            List<CompletableFuture<List<String>>> following = new ArrayList<>();
            for (String rung : List.of("180p", "180p", "108p")) {
                LlHlsConformance viewer = new LlHlsConformance(http,
                        URI.create(base + "/hls/th9/" + rung + "/index.m3u8"), cookieHeader);
                viewers.add(viewer);
                following.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return viewer.follow(Duration.ofSeconds(60));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }

            browser.executeScript("start('/hls/th9/master.m3u8')");
            // The 30 s watch starts once the video plays: hls.js may stall while it first settles at the live edge
            // (printed, not counted); from the first frame on, 30 s of playback must not stall.
            Map<?, ?> report = (Map<?, ?>) browser.executeScript("return report()");
            for (int i = 0; i < 150 && ((Number) report.get("time")).doubleValue() <= 0; i++) {
                Thread.sleep(100);
                report = (Map<?, ?>) browser.executeScript("return report()");
            }
            double firstTime = ((Number) report.get("time")).doubleValue();
            assertThat(firstTime).as("hls.js started playing within 15 s (errors %s)", report.get("errors"))
                    .isPositive();
            int stallsBefore = ((Number) report.get("stalls")).intValue();
            Object startupStalls = report.get("stallTimes");
            List<Double> latencies = new ArrayList<>();
            double lastTime = firstTime;
            StringBuilder timeline = new StringBuilder();
            for (int second = 0; second < 30; second++) {
                Thread.sleep(1000);
                report = (Map<?, ?>) browser.executeScript("return report()");
                lastTime = ((Number) report.get("time")).doubleValue();
                timeline.append(String.format(" %.1f/%s", lastTime, report.get("glassToGlassMs")));
                if (second >= 10 && report.get("glassToGlassMs") != null) {
                    latencies.add(((Number) report.get("glassToGlassMs")).doubleValue() / 1000);
                }
            }
            System.out.println("player media time / glass-to-glass ms, each second:" + timeline);
            latencies.sort(null);
            int stalls = ((Number) report.get("stalls")).intValue() - stallsBefore;
            System.out.printf("hls.js %s: played %.1f s of media in 30 s, stalls %d (before the first frame: %s; "
                            + "all at media time@seconds since start: %s), errors %s, glass-to-glass p50 %.2f s "
                            + "p95 %.2f s (n=%d), hls.latency %s%n", report.get("version"), lastTime - firstTime,
                    stalls, startupStalls, report.get("stallTimes"), report.get("errors"),
                    latencies.isEmpty() ? -1 : latencies.get(latencies.size() / 2),
                    latencies.isEmpty() ? -1 : latencies.get((int) (latencies.size() * 0.95)), latencies.size(),
                    report.get("latency"));
            // Now, while the edge still runs: later errors would be the shutdown's.
            HlsJsPlayer.printDiagnostics(browser);
            described = true;
            List<String> plainReloads = HlsJsDiagnostics.plainReloads(browser);
            System.out.println("hls.js playlist reloads without _HLS_msn: " + plainReloads);
            assertThat(report.get("fatal")).isEqualTo(false);
            assertThat(stalls).as("hls.js stalls in 30 s of playback (%s)", report.get("stallTimes")).isZero();
            // From the first playlist on, hls.js blocks on the next part: it falls back to timed reloads (and then
            // the edge's older copies) only while no complete segment's number is above 0.
            assertThat(plainReloads).as("video playlist reloads without _HLS_msn")
                    .noneMatch(line -> line.contains("[level-controller]"));
            assertThat(lastTime - firstTime).as("media time advanced while watching").isGreaterThan(25);

            feeding.get();
            for (CompletableFuture<List<String>> viewer : following) {
                assertThat(viewer.get()).as("LL-HLS violations seen through the edge").isEmpty();
            }
            Map<String, Integer> statuses = edge.cacheStatuses();
            int all = statuses.values().stream().mapToInt(Integer::intValue).sum();
            int hits = statuses.getOrDefault("HIT", 0);
            System.out.printf("edge: %s; offload %.1f%% of %d media and playlist responses (4 viewers)%n",
                    statuses, 100.0 * hits / all, all);
            // Captions on, as the audience page has them: hls.js followed the subtitles rendition too.
            long subtitleRequests = Files.readAllLines(edge.accessLog()).stream()
                    .filter(line -> line.contains("/hls/th9/" + LiveEvent.SUBTITLES + "/")).count();
            System.out.println("subtitle requests through the edge: " + subtitleRequests);
            assertThat(report.get("subtitleTrack")).as("the subtitles track selected").isEqualTo(0L);
            assertThat(subtitleRequests).as("subtitle playlist and segment requests").isPositive();
            assertThat(hits).as("the edge answered some requests from its cache").isPositive();
        } finally {
            if (browser != null) {
                if (!described) {
                    HlsJsPlayer.printDiagnostics(browser);
                }
                browser.quit();
            }
            app.after();
        }
    }
}
