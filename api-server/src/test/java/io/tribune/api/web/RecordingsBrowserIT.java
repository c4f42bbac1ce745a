package io.tribune.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.CdnTestKeys;
import io.tribune.api.TestApps;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.RecordingEvents;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.tribune.api.web.Browser.button;
import static io.tribune.api.web.Browser.heading;
import static io.tribune.api.web.Browser.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recordings pages of the web client in real headless Chromium against the real server (issue 8, admin
 * review): a host's recordings are made the way the system makes them (started and stopped through the API, then
 * {@code recording.ready} on Kafka naming objects in S3: an H.264/AAC MP4, poster, thumbnail sprite and WebVTT made
 * by ffmpeg here, and a VP8 track); the host filters the list and plays the video through a signed URL with
 * thumbnail previews over the scrub bar and downloads a track; an admin puts it under legal hold, is told why it
 * cannot be deleted, releases and deletes it, and reads the audit log; a recording still processing says so, and
 * one without a composed video says it cannot be played. Screenshots under {@code target/screenshots/recordings/}.
 *
 * <p>The media origin is {@link RecordingOriginDouble} (hls-packager's cannot run in api-server's tests; the ops
 * meeting journey plays a recording through the real one).
 */
@ExtendWith(PlatformExtension.class)
class RecordingsBrowserIT {

    private static final Path SHOTS = Path.of("target", "screenshots", "recordings");
    private static final String BUCKET = "tribune-recordings";
    private static final String KEY_ID = "KTESTRECORDINGS";
    private static final KeyPair CDN_KEYS = CdnTestKeys.rsaKeys();
    private static RecordingOriginDouble origin;

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(
            ApiServerApplication.class,
            ConfigOverride.config("meetings.hlsBaseUrl", () -> origin().baseUrl()),
            ConfigOverride.config("meetings.playback.keyPairId", KEY_ID),
            ConfigOverride.config("meetings.playback.privateKeyFile", CdnTestKeys.privateKeyFile(CDN_KEYS).toString()),
            ConfigOverride.config("meetings.playback.ttl", "30 minutes"));

    private static Path media;

    @BeforeAll
    static void chromiumAndMedia() throws Exception {
        Browser.requireInstalled();
        media = Files.createTempDirectory("tribune-recording-media");
        // 6 s of moving test picture and a tone, as the archive's composed MP4 is made (H.264 + AAC, faststart).
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", "6", "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", "recording.mp4");
        ffmpeg("-ss", "1", "-i", "recording.mp4", "-frames:v", "1", "poster.jpg");
        // One 160x90 frame per second, three a row: the scrub bar's sprite.
        ffmpeg("-i", "recording.mp4", "-vf", "fps=1,scale=160:90,tile=3x2", "-frames:v", "1", "thumbnails.jpg");
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        for (int i = 0; i < 6; i++) {
            vtt.append(String.format("00:00:%02d.000 --> 00:00:%02d.000%nthumbnails.jpg#xywh=%d,%d,160,90%n%n",
                    i, i + 1, (i % 3) * 160, (i / 3) * 90));
        }
        Files.writeString(media.resolve("thumbnails.vtt"), vtt);
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-t", "2", "-c:v", "libvpx", "-b:v", "100k",
                "t1.webm");
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void aHostFindsAndPlaysARecordingAndAnAdminHoldsDeletesAndAuditsIt() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        ApiClient api = ApiClient.local(APP.getLocalPort());
        JsonNode admin = login(api, "admin@tribune.test", "bootstrap admin password 1");
        String hostName = "rec" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "pass phrase " + UUID.randomUUID();
        assertThat(api.post("/api/v1/users/register", null, Map.of("username", hostName, "email",
                hostName + "@example.org", "password", password)).status()).isEqualTo(201);
        JsonNode host = login(api, hostName + "@example.org", password);
        String hostToken = host.path("token").asText();

        String review = meeting(api, host, "Quarterly review " + hostName);
        String standup = meeting(api, host, "Team standup " + hostName);
        String played = startAndStop(api, hostToken, host.path("user_id").asText(), review);
        String processing = startAndStop(api, hostToken, host.path("user_id").asText(), standup);
        List<RecordingEvents.StoredFile> files = new ArrayList<>();
        files.add(store(played, "view/recording.mp4", "composed", null, "video/mp4"));
        files.add(store(played, "view/poster.jpg", "poster", null, "image/jpeg"));
        files.add(store(played, "view/thumbnails.jpg", "thumbnails", null, "image/jpeg"));
        files.add(store(played, "view/thumbnails.vtt", "thumbnails_vtt", null, "text/vtt"));
        files.add(store(played, "tracks/t1.webm", "track", "t1", "video/webm"));
        RecordingEvents.StoredFile composed = files.get(0);
        publish(new RecordingEvents.Ready(review, played, files, 6_000, composed.sizeBytes(), composed.sha256()));
        awaitStatus(api, hostToken, played, "ready");

        try (Browser browser = Browser.open("recordings", SHOTS, 1280, 900)) {
            try {
                signIn(browser, base, host);

                // The list: both recordings with their states; filters by status, meeting and date.
                browser.go(base + "/app/#/recordings").sees(heading("Recordings"))
                        .sees(row(played)).sees(row(processing));
                assertThat(browser.find(row(played)).getText()).contains("Quarterly review", "Ready", "0:06");
                assertThat(browser.find(row(processing)).getText()).contains("Team standup", "Processing");
                browser.snap("list");
                browser.script("const s = document.querySelector('select[name=status]'); s.value = 'ready';"
                        + "s.dispatchEvent(new Event('change'))");
                browser.until("!document.querySelector(\"tr[data-recording='" + processing + "']\")")
                        .sees(row(played)).snap("list-ready-only");
                assertThat(browser.currentUrl()).contains("status=ready");
                browser.click(button("Clear filters")).sees(row(processing));
                browser.type(named("meeting"), "Team standup " + hostName).click(button("Apply filters"))
                        .until("!document.querySelector(\"tr[data-recording='" + played + "']\")")
                        .sees(row(processing));
                browser.click(button("Clear filters")).sees(row(played));
                browser.script("document.querySelector('input[name=from]').value = '2099-01-01'");
                browser.click(button("Apply filters")).sees("No recordings match these filters.")
                        .snap("list-empty");
                browser.click(button("Show all recordings")).sees(row(played)).sees(row(processing));

                // The player: the video plays through the signed URL, the scrub bar previews frames.
                browser.click(By.cssSelector("tr[data-recording='" + played + "'] a"))
                        .sees(heading("Recording: Quarterly review " + hostName));
                browser.until("window.tribuneRecording?.video?.duration > 5");
                browser.script("const v = window.tribuneRecording.video; v.muted = true; v.play()");
                browser.until("window.tribuneRecording.video.currentTime > 1");
                browser.until("window.tribuneRecording.cues.length === 6");
                browser.hover(By.cssSelector("input.seek"), 0.75)
                        .until("!document.querySelector('.thumb-preview').hidden")
                        .until("document.querySelector('.thumb-image').dataset.cue === '4'");
                String sprite = (String) browser.script(
                        "return document.querySelector('.thumb-image').style.backgroundImage");
                assertThat(sprite).contains("/recordings/" + played + "/view/thumbnails.jpg?", "Signature=");
                // From the keyboard: the seek bar moves the video and shows the frame there.
                browser.script("window.tribuneRecording.video.pause()");
                browser.hover(By.tagName("h1"), 0.5).find(By.cssSelector("input.seek")).sendKeys(Keys.HOME);
                browser.until("document.querySelector('.thumb-image').dataset.cue === '0'")
                        .until("window.tribuneRecording.video.currentTime < 0.5");
                browser.find(By.cssSelector("input.seek")).sendKeys(Keys.END);
                browser.until("document.querySelector('.thumb-image').dataset.cue === '5'")
                        .until("window.tribuneRecording.video.currentTime > 5");
                browser.snap("player-preview");
                awaitServed(origin(), "/recordings/" + played + "/view/thumbnails.jpg", 200);
                awaitServed(origin(), "/recordings/" + played + "/view/recording.mp4", 206);
                assertThat(origin().served()).as("every request the page made was signed")
                        .noneMatch(s -> s.status() == 403);
                assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(origin().baseUrl()
                        + "/recordings/" + played + "/view/recording.mp4")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).as("unsigned").isEqualTo(403);

                browser.click(By.cssSelector("button[data-file='t1']"));
                awaitServed(origin(), "/recordings/" + played + "/tracks/t1.webm", 200);
                assertThat(browser.currentUrl()).as("the download left the page where it was")
                        .endsWith("#/recordings/" + played);

                // An admin: legal hold blocks deletion with a message that says why; released, it deletes.
                signIn(browser, base, admin);
                browser.go(base + "/app/#/recordings/" + played).sees(heading("Recording: Quarterly review "
                        + hostName)).sees(By.cssSelector("input[name=legal_hold]"));
                browser.click(By.cssSelector("input[name=legal_hold]"))
                        .sees(By.cssSelector("[data-legal-hold=on]"));
                browser.click(button("Delete recording")).accept()
                        .sees("under legal hold, so it cannot be deleted").snap("delete-refused");
                assertThat(browser.find(By.cssSelector("[data-error=manage]")).getAttribute("role"))
                        .isEqualTo("alert");
                assertThat(api.get("/api/v1/recordings/" + played, hostToken).status()).isEqualTo(200);
                browser.go(base + "/app/#/recordings?meeting=" + review).sees(row(played));
                assertThat(browser.find(row(played)).getText()).contains("Legal hold");
                browser.click(By.cssSelector("tr[data-recording='" + played + "'] a"))
                        .sees(By.cssSelector("[data-legal-hold=on]"));
                browser.click(By.cssSelector("input[name=legal_hold]"))
                        .until("!document.querySelector('[data-legal-hold=on]')");
                browser.click(button("Delete recording")).accept().sees(heading("Recordings"))
                        .sees(row(processing));
                assertThat(browser.currentUrl()).endsWith("#/recordings");
                assertThat(browser.shows("Quarterly review " + hostName)).isFalse();
                assertThat(api.get("/api/v1/recordings/" + played, hostToken).status()).isEqualTo(404);
                browser.type(named("host"), hostName).click(button("Apply filters"))
                        .until("document.querySelectorAll('tr[data-recording]').length === 1")
                        .sees(row(processing)).snap("admin-list-by-host");

                // The audit log, filtered to the deleted recording.
                browser.click(By.linkText("Audit log")).sees(heading("Audit log"))
                        .type(named("target_id"), played).click(button("Apply filters"))
                        .sees(By.cssSelector("tr[data-audit='recording.deleted']"))
                        .sees(By.cssSelector("tr[data-audit='recording.legal_hold_set']"))
                        .sees(By.cssSelector("tr[data-audit='recording.legal_hold_released']"));
                assertThat((Long) browser.script("return [...document.querySelectorAll('tr[data-audit]')]"
                        + ".filter((r) => !r.textContent.includes('" + played + "')).length"))
                        .as("only entries about that recording").isZero();
                browser.snap("audit-log");

                // Still processing: the page says so; when the archive reports (no composed video), it says
                // that the recording cannot be played and lists the track to download.
                browser.go(base + "/app/#/recordings/" + processing).sees("The video is being prepared")
                        .sees(button("Refresh")).snap("processing");
                RecordingEvents.StoredFile track = store(processing, "tracks/t9.webm", "track", "t9", "video/webm");
                publish(new RecordingEvents.Ready(standup, processing, List.of(track), 2_000, track.sizeBytes(),
                        track.sha256()));
                awaitStatus(api, hostToken, processing, "ready");
                browser.click(button("Refresh")).sees("There is no composed video for this recording")
                        .sees(By.cssSelector("button[data-file='t9']")).snap("not-playable");

                // On a phone-sized screen the list fits the width (no sideways scrolling).
                browser.resize(390, 844).go(base + "/app/#/recordings").sees(row(processing)).snap("list-phone");
                browser.script("document.querySelector('table.recordings').scrollIntoView()");
                browser.snap("list-phone-rows");
                assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                        .isEqualTo(true);
            } catch (Exception | AssertionError e) {
                browser.snap("failure");
                throw new AssertionError("failed with the origin having served " + origin().served()
                        + " and the video element at " + browser.script("const v = window.tribuneRecording?.video;"
                        + " return v ? JSON.stringify({src: v.currentSrc, error: v.error && [v.error.code,"
                        + " v.error.message], network: v.networkState, ready: v.readyState}) : 'none'"), e);
            }
        }
    }

    private static By row(String recordingId) {
        return By.cssSelector("tr[data-recording='" + recordingId + "']");
    }

    private static synchronized RecordingOriginDouble origin() {
        if (origin == null) {
            PlatformUrls urls = TestApps.urls();
            S3Client s3 = s3(urls);
            try {
                s3.createBucket(b -> b.bucket(BUCKET));
            } catch (BucketAlreadyOwnedByYouException e) {
                // made by an earlier test in this JVM
            }
            try {
                origin = new RecordingOriginDouble(s3, BUCKET, KEY_ID, CDN_KEYS.getPublic());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return origin;
    }

    private static S3Client s3(PlatformUrls urls) {
        return S3Client.builder().region(Region.of(urls.s3Region())).forcePathStyle(true)
                .endpointOverride(URI.create(urls.s3Endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(urls.s3AccessKey(),
                        urls.s3SecretKey()))).build();
    }

    /** Puts a file of {@link #media} where the archive puts it and describes it as recording.ready does. */
    private static RecordingEvents.StoredFile store(String recordingId, String name, String kind, String trackId,
                                                    String contentType) throws Exception {
        byte[] bytes = Files.readAllBytes(media.resolve(name.substring(name.lastIndexOf('/') + 1)
                .replace("t9.webm", "t1.webm")));
        String key = "recordings/" + recordingId + "/" + name;
        try (S3Client s3 = s3(TestApps.urls())) {
            s3.putObject(b -> b.bucket(BUCKET).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return new RecordingEvents.StoredFile(kind, trackId, key, contentType, bytes.length, sha256);
    }

    private static void publish(RecordingEvents.Ready ready) throws Exception {
        Event event = Event.of(ready, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApps.urls().kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode login(ApiClient api, String email, String password) {
        Answer answer = api.fromRandomIp().post("/api/v1/users/login", null, Map.of("email", email,
                "password", password));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static void signIn(Browser browser, String base, JsonNode login) {
        browser.go(base + "/app/");
        browser.script("sessionStorage.setItem('tribune.session', '" + ApiClient.json(Map.of("token",
                login.path("token").asText(), "refresh", login.path("refresh_token").asText(), "userId",
                login.path("user_id").asText(), "expiresAt", System.currentTimeMillis() + 14 * 60_000))
                .replace("'", "\\'") + "')");
    }

    private static String meeting(ApiClient api, JsonNode host, String title) {
        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Answer created = api.post("/api/v1/meetings", host.path("token").asText(), Map.of("title", title,
                "start_time", start.toString(), "end_time", start.plusSeconds(3600).toString(),
                "host_id", host.path("user_id").asText(), "allow_overlap", true,
                "settings", Map.of("lobby", false, "join_before_host", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("meeting_id").asText();
    }

    private static String startAndStop(ApiClient api, String token, String userId, String meetingId) {
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", token,
                Map.of("user_id", userId));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        Answer stopped = api.post("/api/v1/meetings/" + meetingId + "/recording/stop", token,
                Map.of("user_id", userId));
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        return started.json().path("recording_id").asText();
    }

    private static void awaitStatus(ApiClient api, String token, String recordingId, String status)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/recordings/" + recordingId, token).json();
            if (last.path("status").asText().equals(status)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("recording " + recordingId + " never became " + status + ": " + last);
    }

    private static void awaitServed(RecordingOriginDouble origin, String path, int status)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (System.nanoTime() < deadline) {
            if (origin.served().stream().anyMatch(s -> s.path().equals(path) && s.status() == status)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("the origin never answered " + path + " with " + status + ": "
                + origin.served());
    }

    private static void ffmpeg(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(media.toFile()).redirectErrorStream(true).start();
        boolean done = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes());
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done && process.exitValue() == 0).as("ffmpeg " + command + ": " + output).isTrue();
    }
}
