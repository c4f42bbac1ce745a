package io.tribune.api.web;

import static io.tribune.api.web.Browser.button;
import static io.tribune.api.web.Browser.heading;
import static io.tribune.api.web.Browser.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.CdnTestKeys;
import io.tribune.api.TestApps;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.RecordingEvents;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The transcript in the recordings pages, in real headless Chromium against the real server: a recording made as
 * the system makes it (an MP4 by ffmpeg in S3, {@code recording.ready} on Kafka) and its meeting's final captions
 * on {@code tribune.captions}. The panel beside the player highlights the phrase being spoken as the video plays
 * and keeps it in view, a click on a phrase or a chapter seeks the video, the summary lists action items and
 * decisions, the WebVTT download carries the cues; the recordings page's transcript search shows the matched word
 * and opens the recording at that moment. Screenshots under {@code target/screenshots/transcripts/}.
 */
@ExtendWith(PlatformExtension.class)
class TranscriptBrowserIT {

    private static final Path SHOTS = Path.of("target", "screenshots", "transcripts");
    private static final String BUCKET = "tribune-recordings";
    private static final String KEY_ID = "KTESTTRANSCRIPTS";
    private static final KeyPair CDN_KEYS = CdnTestKeys.rsaKeys();
    private static RecordingOriginDouble origin;
    private static Path media;

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(
            ApiServerApplication.class,
            ConfigOverride.config("meetings.hlsBaseUrl", () -> origin().baseUrl()),
            ConfigOverride.config("meetings.playback.keyPairId", KEY_ID),
            ConfigOverride.config("meetings.playback.privateKeyFile", CdnTestKeys.privateKeyFile(CDN_KEYS).toString()),
            ConfigOverride.config("meetings.playback.ttl", "30 minutes"),
            ConfigOverride.config("transcripts.consumerGroup", "it-transcripts-browser-"
                    + UUID.randomUUID().toString().substring(0, 8)),
            ConfigOverride.config("transcripts.chapterPause", "1 second"),
            ConfigOverride.config("transcripts.minimumChapter", "4 seconds"));

    /** The phrases: start and end in ms from the recording's start, speaker, text; a 2 s pause before the 4th. */
    private record Line(long start, long end, String name, String text) {
    }

    @BeforeAll
    static void chromiumAndMedia() throws Exception {
        Browser.requireInstalled();
        media = Files.createTempDirectory("tribune-transcript-media");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", "16", "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", "recording.mp4");
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void thePanelFollowsPlaybackAClickSeeksAndSearchOpensTheRecordingAtTheMatch() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        ApiClient api = ApiClient.local(APP.getLocalPort());
        String hostName = "tr" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "pass phrase " + UUID.randomUUID();
        assertThat(api.post("/api/v1/users/register", null, Map.of("username", hostName, "email",
                hostName + "@example.org", "password", password)).status()).isEqualTo(201);
        JsonNode host = login(api, hostName + "@example.org", password);
        String token = host.path("token").asText();
        String word = "kumquat" + UUID.randomUUID().toString().replaceAll("[^a-f]", "");

        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Answer created = api.post("/api/v1/meetings", token, Map.of("title", "Spring planning " + hostName,
                "start_time", start.toString(), "end_time", start.plusSeconds(3600).toString(),
                "host_id", host.path("user_id").asText(), "allow_overlap", true,
                "settings", Map.of("lobby", false, "join_before_host", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String meetingId = created.json().path("meeting_id").asText();
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", token,
                Map.of("user_id", host.path("user_id").asText()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String recordingId = started.json().path("recording_id").asText();
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", token,
                Map.of("user_id", host.path("user_id").asText())).status()).isEqualTo(200);
        RecordingEvents.StoredFile video = store(recordingId, "view/recording.mp4", "composed", "video/mp4");
        publish(new RecordingEvents.Ready(meetingId, recordingId, List.of(video), 16_000, video.sizeBytes(),
                video.sha256()));
        awaitReady(api, token, recordingId);
        Instant recordedAt = Instant.parse(api.get("/api/v1/recordings/" + recordingId, token).json()
                .path("started_at").asText());

        List<Line> lines = List.of(
                new Line(500, 2_500, "Alice", "welcome to the planning session for the spring release"),
                new Line(3_000, 5_000, "Bob", "the release candidate passed every test on the build server"),
                new Line(5_500, 7_500, "Alice", "i will send the release notes to the support team by friday"),
                new Line(9_500, 11_500, "Bob", "next the " + word + " migration needs two more weeks"),
                new Line(12_000, 14_000, "Alice", "we decided to postpone the " + word + " migration until may"),
                new Line(14_500, 15_500, "Bob", "thanks everyone"));
        for (Line line : lines) {
            publish(new CaptionEvents.Caption(meetingId, "p-" + line.name(), line.name(), "t-" + line.name(),
                    "phrase-" + UUID.randomUUID(), line.text(), true, line.start(), line.end(),
                    recordedAt.plusMillis(line.start()), recordedAt.plusMillis(line.end())));
        }
        awaitSegments(api, token, recordingId, lines.size());

        try (Browser browser = Browser.open("transcripts", SHOTS, 1280, 900)) {
            try {
                signIn(browser, base, host);
                browser.go(base + "/app/#/recordings/" + recordingId)
                        .sees(heading("Recording: Spring planning " + hostName))
                        .until("document.querySelectorAll('.transcript-list li[data-segment]').length === 6");
                assertThat(browser.find(segment(3_000)).getText()).contains("Bob", "0:03",
                        "the release candidate passed");

                // Playing: the phrase being spoken is highlighted, one after the other.
                browser.until("window.tribuneRecording?.video?.duration > 15");
                browser.script("const v = window.tribuneRecording.video; v.muted = true; v.play()");
                browser.until("document.querySelector(\".transcript-list li.current[data-offset='3000']\")");
                browser.until("document.querySelector(\".transcript-list li.current[data-offset='5500']\")");
                assertThat(browser.script("return document.querySelectorAll('.transcript-list li.current').length"))
                        .isEqualTo(1L);
                assertThat(browser.script("return document.querySelector('.transcript-list li.current')"
                        + ".getAttribute('aria-current')")).isEqualTo("true");
                browser.snap("panel-following");

                // A click on a phrase seeks the video there.
                browser.script("window.tribuneRecording.video.pause()");
                browser.click(By.cssSelector(".transcript-list li[data-offset='9500'] button"));
                browser.until("Math.abs(window.tribuneRecording.video.currentTime - 9.5) < 0.3")
                        .until("document.querySelector(\".transcript-list li.current[data-offset='9500']\")");

                // Chapters (the 2 s pause starts the second) seek too; the summary names the action item and
                // the decision.
                assertThat(browser.script("return document.querySelectorAll('.chapters li').length")).isEqualTo(2L);
                browser.click(By.cssSelector(".chapters li[data-chapter='500'] button"));
                browser.until("Math.abs(window.tribuneRecording.video.currentTime - 0.5) < 0.3")
                        .until("document.querySelector(\".transcript-list li.current[data-offset='500']\")");
                browser.script("document.querySelector('details.summary').open = true");
                assertThat(browser.find(By.cssSelector("[data-summary=action_items]")).getText())
                        .contains("Alice: i will send the release notes to the support team by friday");
                assertThat(browser.find(By.cssSelector("[data-summary=decisions]")).getText())
                        .contains("we decided to postpone the " + word + " migration until may");
                // The host may mail the summary; nobody acknowledged this recording, and the page says so.
                browser.click(By.cssSelector("button[data-send-summary]"))
                        .sees("Nobody received it: only participants who acknowledged the recording");
                browser.snap("chapters-summary");

                // The WebVTT download: fetched with the bearer token, saved from a blob.
                browser.script("window.savedBlobs = []; const make = URL.createObjectURL;"
                        + "URL.createObjectURL = (blob) => { window.savedBlobs.push(blob); return make(blob); }");
                browser.click(By.cssSelector("button[data-download=vtt]"));
                browser.until("window.savedBlobs.length === 1");
                browser.script("window.savedBlobs[0].text().then((t) => { window.savedVtt = t; })");
                browser.until("typeof window.savedVtt === 'string'");
                String vtt = (String) browser.script("return window.savedVtt");
                assertThat(vtt).startsWith("WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.500\n<v Alice>welcome to the");
                assertThat(vtt).contains("00:00:09.500 --> 00:00:11.500\n<v Bob>next the " + word);
                assertThat(browser.currentUrl()).endsWith("#/recordings/" + recordingId);

                // Search on the recordings page: the matched word marked, the hit opens the recording there.
                browser.go(base + "/app/#/recordings").sees(heading("Recordings"));
                browser.type(named("transcript-q"), word).click(button("Search"))
                        .until("document.querySelectorAll('.search-results li[data-hit]').length === 2");
                assertThat(browser.script("return [...document.querySelectorAll('.search-results mark')]"
                        + ".map((m) => m.textContent)")).isEqualTo(List.of(word, word));
                assertThat(browser.find(By.cssSelector(".transcript-search")).getText())
                        .contains("2 matches for \"" + word + "\"", "Spring planning " + hostName);
                browser.snap("search");
                browser.click(By.cssSelector(".search-results a[href$='?t=12']"));
                browser.sees(heading("Recording: Spring planning " + hostName));
                assertThat(browser.currentUrl()).endsWith("#/recordings/" + recordingId + "?t=12");
                browser.until("window.tribuneRecording?.video?.readyState >= 1")
                        .until("Math.abs(window.tribuneRecording.video.currentTime - 12) < 0.3")
                        .until("document.querySelector(\".transcript-list li.current[data-offset='12000']\")");
                browser.snap("opened-at-match");

                // On a phone the panel goes under the player, its list scrolls by itself to the phrase, and
                // nothing is wider than the screen.
                browser.resize(390, 700).go(base + "/app/#/recordings/" + recordingId + "?t=15")
                        .sees(heading("Recording: Spring planning " + hostName))
                        .until("document.querySelector(\".transcript-list li.current[data-offset='14500']\")");
                browser.until("(() => { const list = document.querySelector('.transcript-list');"
                        + " const item = list.querySelector('li.current'); const a = list.getBoundingClientRect();"
                        + " const b = item.getBoundingClientRect();"
                        + " return list.scrollHeight > list.clientHeight && list.scrollTop > 0"
                        + " && b.top >= a.top - 1 && b.bottom <= a.bottom + 1; })()");
                assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                        .isEqualTo(true);
                browser.script("document.querySelector('.transcript-panel').scrollIntoView()");
                browser.snap("phone");
            } catch (Exception | AssertionError e) {
                browser.snap("failure");
                throw e;
            }
        }
    }

    @Test
    void theHostTranscribesARecordingWithoutATranscriptAndThePanelShowsItWhenReady() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        ApiClient api = ApiClient.local(APP.getLocalPort());
        String hostName = "tt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "pass phrase " + UUID.randomUUID();
        assertThat(api.post("/api/v1/users/register", null, Map.of("username", hostName, "email",
                hostName + "@example.org", "password", password)).status()).isEqualTo(201);
        JsonNode host = login(api, hostName + "@example.org", password);
        String token = host.path("token").asText();
        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Answer created = api.post("/api/v1/meetings", token, Map.of("title", "Uncaptioned " + hostName,
                "start_time", start.toString(), "end_time", start.plusSeconds(3600).toString(),
                "host_id", host.path("user_id").asText(), "allow_overlap", true,
                "settings", Map.of("lobby", false, "join_before_host", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String meetingId = created.json().path("meeting_id").asText();
        String recordingId = api.post("/api/v1/meetings/" + meetingId + "/recording/start", token,
                Map.of("user_id", host.path("user_id").asText())).json().path("recording_id").asText();
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", token,
                Map.of("user_id", host.path("user_id").asText())).status()).isEqualTo(200);
        RecordingEvents.StoredFile video = store(recordingId, "view/recording.mp4", "composed", "video/mp4");
        RecordingEvents.StoredFile audio = new RecordingEvents.StoredFile("track", "a1",
                "recordings/" + recordingId + "/tracks/a1.webm", "audio/webm", 1000, "ab".repeat(32));
        publish(new RecordingEvents.Ready(meetingId, recordingId, List.of(video, audio), 16_000, video.sizeBytes(),
                video.sha256()));
        awaitReady(api, token, recordingId);
        Instant recordedAt = Instant.parse(api.get("/api/v1/recordings/" + recordingId, token).json()
                .path("started_at").asText());

        try (Browser browser = Browser.open("transcribe", SHOTS, 1280, 900)) {
            try {
                signIn(browser, base, host);
                browser.go(base + "/app/#/recordings/" + recordingId)
                        .sees(heading("Recording: Uncaptioned " + hostName))
                        .sees("There is no transcript for this recording")
                        .sees(By.cssSelector("button[data-transcribe]"));
                browser.snap("no-transcript");
                browser.click(By.cssSelector("button[data-transcribe]"))
                        .sees("This recording is being transcribed");
                assertThat(browser.script("return document.querySelector('button[data-transcribe]')")).isNull();
                browser.snap("transcribing");
                assertThat(api.get("/api/v1/recordings/" + recordingId, token).json().path("transcript_status")
                        .asText()).isEqualTo("transcribing");

                // What transcription-worker sends back; the panel looks again by itself and shows the phrases.
                publish(new CaptionEvents.Caption(meetingId, null, null, "a1", recordingId + "-a1-1",
                        "transcribed after the meeting", true, 1_000, 3_000, recordedAt.plusMillis(1_000),
                        recordedAt.plusMillis(3_000)));
                publish(new CaptionEvents.TranscriptReady(meetingId, recordingId, null, 1, "en"));
                browser.until("document.querySelectorAll('.transcript-list li[data-segment]').length === 1");
                assertThat(browser.find(segment(1_000)).getText()).contains("Speaker", "0:01",
                        "transcribed after the meeting");
                browser.snap("transcribed");
            } catch (Exception | AssertionError e) {
                browser.snap("transcribe-failure");
                throw e;
            }
        }
    }

    private static By segment(long offset) {
        return By.cssSelector(".transcript-list li[data-offset='" + offset + "']");
    }

    private static void awaitSegments(ApiClient api, String token, String recordingId, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/recordings/" + recordingId + "/transcript", token).json();
            if (last.path("segments").size() == count) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("the transcript never had " + count + " segments: " + last);
    }

    private static void awaitReady(ApiClient api, String token, String recordingId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api.get("/api/v1/recordings/" + recordingId, token).json();
            if (last.path("status").asText().equals("ready")) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("recording " + recordingId + " never became ready: " + last);
    }

    private static synchronized RecordingOriginDouble origin() {
        if (origin == null) {
            S3Client s3 = s3(TestApps.urls());
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

    private static RecordingEvents.StoredFile store(String recordingId, String name, String kind,
                                                    String contentType) throws Exception {
        byte[] bytes = Files.readAllBytes(media.resolve("recording.mp4"));
        String key = "recordings/" + recordingId + "/" + name;
        try (S3Client s3 = s3(TestApps.urls())) {
            s3.putObject(b -> b.bucket(BUCKET).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return new RecordingEvents.StoredFile(kind, null, key, contentType, bytes.length, sha256);
    }

    private static void publish(EventData data) throws Exception {
        Event event = Event.of(data, Instant.now());
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
