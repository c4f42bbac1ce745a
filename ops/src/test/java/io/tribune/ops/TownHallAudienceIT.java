package io.tribune.ops;

import io.tribune.ops.ApiCalls.Account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import io.tribune.hls.HlsPackagerApplication;
import io.tribune.hls.HlsPackagerConfiguration;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import io.tribune.transcoder.TownHallTranscoder;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.SrtLibrary;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A town hall's audience page end to end: ffmpeg pushes a test pattern over SRT into the real transcoder, which
 * feeds the real hls-packager (signatures required, as in production without a CDN); the real api-server (on the
 * embedded platform) starts the broadcast and hands each audience member signed cookies over the meeting channel.
 * Two headless Chromiums (a desktop and a 360 px phone) open the page, hls.js plays the live stream (the video's
 * time advances), and the two run the Q&A: one asks, the other upvotes once, the host marks it answered.
 * Screenshots go to {@code target/screenshots/town-hall-audience/}. A two-rung ladder fits two shared cores.
 */
@ExtendWith(PlatformExtension.class)
@Timeout(600)
class TownHallAudienceIT {

    private static final Path SHOTS = Path.of("target", "screenshots", "town-hall-audience");
    private static final String STREAM_KEY = "audience-it-key-01";
    private static final String CDN_KEY_ID = "KAUDIENCEIT";
    private static final String ADMIN_EMAIL = "admin@audience.test";
    private static final String ADMIN_PASSWORD = "audience admin password 1";
    private static final Ladder LADDER = new Ladder(List.of(new Rung("360p", 640, 360, 600),
            new Rung("180p", 320, 180, 250)));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DropwizardTestSupport<HlsPackagerConfiguration> packager;
    private DropwizardTestSupport<ApiServerConfiguration> api;
    private TownHallTranscoder transcoder;
    private Process sender;
    private String base;
    private ApiCalls rest;
    private KeyPair keys;

    @BeforeEach
    void start() throws Exception {
        Browser.requireInstalled();
        assumeTrue(commandWorks("ffmpeg", "-hide_banner", "-protocols"), "needs ffmpeg (apt-get install ffmpeg)");
        assumeTrue(commandWorks("gst-inspect-1.0", "srtsrc"), "needs GStreamer (apt-get install gstreamer1.0-*)");
        List<Integer> ports = Ports.distinctFree(4);
        int apiPort = ports.get(0);
        int hlsPort = ports.get(2);
        base = "http://127.0.0.1:" + apiPort;
        rest = new ApiCalls(base);
        String origin = "http://127.0.0.1:" + hlsPort;

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        Path publicKey = Files.writeString(dir.resolve("cdn-public.pem"), PemKeys.pem(keys.getPublic()));
        Path privateKey = Files.writeString(dir.resolve("cdn-private.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        Path packagerConfig = Files.writeString(dir.resolve("hls-packager.yml"), """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: %d}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: %d}]
                  requestLog: {appenders: []}
                logging: {level: WARN}
                ingest: {port: 0}
                signatures:
                  required: true
                  publicBaseUrl: "%s"
                  allowedOrigins: ["%s"]
                  trustedKeys: {%s: "%s"}
                storage: {enabled: false}
                """.formatted(hlsPort, ports.get(3), origin, base, CDN_KEY_ID, publicKey));
        packager = new DropwizardTestSupport<>(HlsPackagerApplication.class, packagerConfig.toString());
        packager.before();

        PlatformUrls urls = PlatformExtension.platform().urls();
        Path apiConfig = Files.writeString(dir.resolve("api-server.yml"), """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: %d}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: %d}]
                  requestLog: {appenders: []}
                logging: {level: WARN}
                database:
                  driverClass: org.postgresql.Driver
                  url: "%s"
                  user: "%s"
                  password: "%s"
                migrateOnStart: true
                kafka: {bootstrapServers: "%s", clientId: audience-it}
                redis: {uri: "%s"}
                publicUrl: "%s"
                auth:
                  signingKeysFile: "%s"
                  passwordHashing: {memory: 1 MiB, iterations: 1}
                  bootstrapAdmin: {email: "%s", password: "%s", username: admin}
                meetings:
                  passcodeKeyFile: "%s"
                  hlsBaseUrl: "%s"
                  playback: {keyPairId: %s, privateKeyFile: "%s", ttl: 10 minutes}
                """.formatted(apiPort, ports.get(1), urls.jdbcUrl(), urls.dbUser(),
                urls.dbPassword() == null ? "" : urls.dbPassword(), urls.kafkaBootstrap(), urls.redisUri(), base,
                dir.resolve("signing-keys.jwks.json"), ADMIN_EMAIL, ADMIN_PASSWORD, dir.resolve("passcode.key"),
                origin, CDN_KEY_ID, privateKey));
        api = new DropwizardTestSupport<>(ApiServerApplication.class, apiConfig.toString());
        api.before();
    }

    /** See TownHallBroadcastIT: libsrt must be cleaned up while the JVM still runs, once, at its exit. */
    @BeforeAll
    static void releaseSrtAtExit() {
        SrtLibrary.cleanupAtExit();
    }

    @AfterEach
    void stop() throws Exception {
        if (sender != null) {
            sender.destroy();
            if (!sender.waitFor(5, TimeUnit.SECONDS)) {
                sender.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (transcoder != null) {
            transcoder.stop();
        }
        if (api != null) {
            api.after();
        }
        if (packager != null) {
            packager.after();
        }
    }

    @Test
    void theAudienceWatchesTheLiveStreamAndRunsTheQuestionsTogether() throws Exception {
        Account host = rest.account("host", "audience.test");
        rest.makeHost(host, ADMIN_EMAIL, ADMIN_PASSWORD);
        host = rest.login(host);
        Account alice = rest.account("alice", "audience.test");
        Account bob = rest.account("bob", "audience.test");
        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Map<String, Object> meeting = new LinkedHashMap<>();
        meeting.put("title", "Quarterly town hall");
        meeting.put("kind", "town_hall");
        meeting.put("start_time", start.toString());
        meeting.put("end_time", start.plus(Duration.ofHours(1)).toString());
        meeting.put("host_id", host.id());
        meeting.put("participants", List.of(alice.id(), bob.id()));
        meeting.put("allow_overlap", true);
        meeting.put("settings", Map.of("lobby", false, "join_before_host", true));
        JsonNode created = rest.call("POST", "/api/v1/meetings", host.token(), meeting, 201);
        String meetingId = created.path("meeting_id").asText();

        // The presenter: ffmpeg over SRT into a transcoder whose event is the town hall's id.
        int srtPort;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            srtPort = socket.getLocalPort();
        }
        int ingestPort = ((HlsPackagerApplication) packager.getApplication()).ingestServer().port();
        transcoder = new TownHallTranscoder(meetingId, STREAM_KEY, "127.0.0.1", srtPort, Duration.ofMillis(120),
                LADDER, EncoderSettings.DEFAULT, new InetSocketAddress(InetAddress.getLoopbackAddress(), ingestPort),
                "");
        transcoder.start();
        await(Duration.ofSeconds(30), transcoder::listening, "the SRT listener");
        sender = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=48000", "-t", "400", "-c:v", "libx264", "-preset", "ultrafast",
                "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
                "-f", "mpegts", "srt://127.0.0.1:" + srtPort + "?streamid=" + STREAM_KEY)
                .redirectErrorStream(true).redirectOutput(dir.resolve("sender.log").toFile()).start();

        // Unsigned requests to the origin are refused: only the cookies the api-server hands out let viewers in.
        String master = "http://127.0.0.1:" + packager.getLocalPort() + "/hls/" + meetingId + "/master.m3u8";
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(master)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);

        try (Browser desktop = Browser.open("alice", SHOTS, 1280, 800);
             Browser phone = Browser.open("bob", SHOTS, 360, 780)) {
            try {
                // Before the host starts: the page waits.
                watch(desktop, alice, meetingId);
                desktop.sees("The broadcast has not started yet").snap("waiting");
                rest.call("POST", "/api/v1/meetings/" + meetingId + "/broadcast/start", host.token(), Map.of(), 200);
                watch(phone, bob, meetingId);

                for (Browser browser : List.of(desktop, phone)) {
                    double first = awaitPlayback(browser, 3.0);
                    double later = awaitPlayback(browser, first + 4.0);
                    assertThat(later).as("%s plays on", browser.name()).isGreaterThan(first + 4.0);
                    // At the live edge (hls.js catches up at up to 1.5x after a slow start on a loaded machine).
                    browser.find(By.cssSelector(".live-badge[data-live=live]"));
                    // Auto + one entry per rung.
                    assertThat(browser.script("return document.querySelector('#quality').options.length"))
                            .isEqualTo(3L);
                }
                desktop.until(Duration.ofSeconds(30), b -> b.find(By.cssSelector("[data-viewers]"))
                        .getAttribute("data-viewers"), "2"::equals);
                assertThat(desktop.find(By.cssSelector("[data-viewers]")).getAttribute("data-viewers"))
                        .isEqualTo("2");
                desktop.snap("playing");
                phone.snap("playing");
                originChecksThePass(alice, meetingId, keys);

                // A chosen rung plays (the menu is keyboard-reachable: a native select).
                desktop.script("const s = document.querySelector('#quality'); s.value = '1';"
                        + "s.dispatchEvent(new Event('change'));");
                desktop.until(Duration.ofSeconds(30), b -> String.valueOf(b.script(
                        "return window.tribuneWatch.hls && window.tribuneWatch.hls.currentLevel")), "1"::equals);

                // Captions: the stream lists its subtitles track, so CC shows, on by default (track 0 selected);
                // switching it off deselects the track and is remembered.
                WebElement cc = desktop.find(By.cssSelector("[data-action=captions-toggle]"));
                assertThat(cc.getAttribute("aria-pressed")).isEqualTo("true");
                desktop.until(Duration.ofSeconds(30), b -> String.valueOf(b.script(
                        "return window.tribuneWatch.hls && window.tribuneWatch.hls.subtitleTrack")), "0"::equals);
                cc.click();
                assertThat(cc.getAttribute("aria-pressed")).isEqualTo("false");
                assertThat(desktop.script("return window.tribuneWatch.hls.subtitleTrack")).isEqualTo(-1L);
                assertThat(desktop.script("return localStorage.getItem('tribune.captions')")).isEqualTo("off");
                cc.click();

                // Q&A: alice asks, bob upvotes once, the host marks it answered.
                desktop.click(By.id("tab-qa"));
                desktop.type(By.cssSelector("[aria-label='Your question']"), "Will the demo be recorded?");
                desktop.click(Browser.button("Ask"));
                phone.click(By.id("tab-qa"));
                phone.sees("Will the demo be recorded?");
                phone.click(By.cssSelector("li.question button.vote"));
                desktop.until(Duration.ofSeconds(20), b -> b.find(By.cssSelector("li.question button.vote"))
                        .getText(), "▲ 1"::equals);
                assertThat(desktop.find(By.cssSelector("li.question button.vote")).getText()).isEqualTo("▲ 1");
                assertThat(phone.find(By.cssSelector("li.question button.vote")).getAttribute("aria-pressed"))
                        .isEqualTo("true");
                String questionId = String.valueOf(desktop.script(
                        "return document.querySelector('li.question').dataset.question"));
                answerAsHost(host, meetingId, questionId);
                for (Browser browser : List.of(desktop, phone)) {
                    browser.sees(By.cssSelector("li.question.answered"));
                    browser.sees("answered");
                }
                desktop.snap("questions");
                phone.snap("questions");

                // Behind live: pause for a while, the badge says so, and "Jump to live" brings it back.
                desktop.script("document.querySelector('video').pause()");
                desktop.find(By.cssSelector(".live-badge[data-live=behind]"));
                desktop.snap("behind-live");
                desktop.click(Browser.button("Jump to live"));
                desktop.find(By.cssSelector(".live-badge[data-live=live]"));

                rest.call("POST", "/api/v1/meetings/" + meetingId + "/broadcast/stop", host.token(), Map.of(), 200);
                phone.sees("The broadcast has ended");
                phone.snap("ended");
            } catch (Exception | AssertionError e) {
                for (Browser browser : List.of(desktop, phone)) {
                    try {
                        System.out.println(browser.name() + " state: " + browser.script("const w = window"
                                + ".tribuneWatch; return w ? JSON.stringify({live: w.live, pass: Boolean(w.pass), "
                                + "hls: Boolean(w.hls), t: document.querySelector('video').currentTime, "
                                + "stalls: w.stalls, behind: w.behind}) : 'no page'"));
                        browser.snap("failure");
                    } catch (RuntimeException ignored) {
                        // a browser that died cannot take a screenshot
                    }
                }
                throw e;
            }
        }
    }

    // ---- the origin

    /**
     * The origin accepts the pass the api-server hands out (cookies and the signed URL) for the event's files, and
     * answers 403 to a tampered signature, to cookies that expired and to another event.
     */
    private void originChecksThePass(Account viewer, String meetingId, KeyPair keys) throws Exception {
        JsonNode pass = rest.call("GET", "/api/v1/meetings/" + meetingId + "/broadcast/playback", viewer.token(), null,
                200);
        String master = pass.path("hls_url").asText();
        String rung = master.replace("master.m3u8", "360p/index.m3u8");
        StringBuilder cookies = new StringBuilder();
        pass.path("cookies").properties().forEach(e -> cookies.append(cookies.isEmpty() ? "" : "; ")
                .append(e.getKey()).append('=').append(e.getValue().asText()));
        assertThat(originStatus(master, cookies.toString())).isEqualTo(200);
        assertThat(originStatus(rung, cookies.toString())).isEqualTo(200);
        assertThat(originStatus(pass.path("signed_url").asText(), null)).isEqualTo(200);
        String signature = pass.path("cookies").path("CloudFront-Signature").asText();
        String tampered = signature.substring(0, 10) + (signature.charAt(10) == 'A' ? 'B' : 'A')
                + signature.substring(11);
        assertThat(originStatus(master, cookies.toString().replace(signature, tampered))).isEqualTo(403);
        assertThat(originStatus(master.replace(meetingId, "otherevent"), cookies.toString())).isEqualTo(403);
        CloudFrontSigner signer = new CloudFrontSigner(CDN_KEY_ID, keys.getPrivate());
        StringBuilder expired = new StringBuilder();
        signer.cookies(master.replace("master.m3u8", "*"), Instant.now().minusSeconds(5)).forEach((name, value) ->
                expired.append(expired.isEmpty() ? "" : "; ").append(name).append('=').append(value));
        assertThat(originStatus(master, expired.toString())).isEqualTo(403);
    }

    private static int originStatus(String url, String cookies) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---- the page

    /** Signs the browser in (the session the web client keeps) and joins the town hall from its pre-join page. */
    private void watch(Browser browser, Account account, String meetingId) throws IOException {
        browser.go(base + "/app/");
        browser.script("sessionStorage.setItem('tribune.session', arguments[0])", JSON.writeValueAsString(Map.of(
                "token", account.token(), "refresh", account.refresh(), "userId", account.id(),
                "expiresAt", System.currentTimeMillis() + 14 * 60_000)));
        browser.go(base + "/app/#/join/" + meetingId);
        browser.click(Browser.button("Join meeting"));
        browser.find(By.cssSelector("video[aria-label='Town hall broadcast']"));
    }

    /** Waits until the page's video has played past {@code seconds}; returns its time. */
    private static double awaitPlayback(Browser browser, double seconds) throws InterruptedException {
        Number time = browser.until(Duration.ofSeconds(90), b -> (Number) b.script(
                "return document.querySelector('video').currentTime"), t -> t.doubleValue() > seconds);
        assertThat(time.doubleValue()).as("%s video time", browser.name()).isGreaterThan(seconds);
        return time.doubleValue();
    }

    // ---- the host, over HTTP and the meeting channel

    /** The host joins the meeting channel and marks the question answered. */
    private void answerAsHost(Account host, String meetingId, String questionId) throws Exception {
        String token = rest.call("POST", "/api/v1/meetings/" + meetingId + "/join", host.token(),
                Map.of("user_id", host.id()), 200).path("join_token").asText();
        BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http:", "ws:")
                + "/api/v1/channel"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                inbox.add(JSON.readTree(text.toString()));
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        try {
            socket.sendText(JSON.writeValueAsString(Map.of("type", "auth", "token", token)), true).join();
            next(inbox, m -> m.path("type").asText().equals("welcome"));
            socket.sendText(JSON.writeValueAsString(Map.of("type", "question.answer", "question_id", questionId)),
                    true).join();
            next(inbox, m -> m.path("type").asText().equals("question.updated")
                    && m.path("question").path("answered").asBoolean());
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private static JsonNode next(BlockingQueue<JsonNode> inbox, Predicate<JsonNode> matches)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode message = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message != null && matches.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no matching channel message within 20 s");
    }

    // ---- helpers

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
