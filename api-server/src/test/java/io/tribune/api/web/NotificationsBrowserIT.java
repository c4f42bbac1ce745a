package io.tribune.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApiServerApplication;
import io.tribune.api.TestApps;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.RecordingEvents;
import io.tribune.platform.PlatformExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification settings page, browser notifications and the bell in headless Chromium against a real
 * api-server (embedded PostgreSQL and Kafka). Headless Chromium has no reachable push service here (no network),
 * so the test grants the notification permission over CDP, checks that the service worker is registered with
 * scope {@code /app/}, sees the page's advice when the browser's real {@code subscribe()} fails, and then stands
 * in for the browser's push service ({@code PushManager.subscribe} replaced in the page) to check what the page
 * posts: the API stores it. Screenshots under {@code target/screenshots/notifications/}.
 */
@ExtendWith(PlatformExtension.class)
class NotificationsBrowserIT {

    private static final Path SHOTS = Path.of("target", "screenshots", "notifications");
    private static final String VAPID =
            "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(
            TestApiServerApplication.class, ConfigOverride.config("notifications.vapidPublicKey", VAPID));

    @BeforeAll
    static void chromium() throws Exception {
        Browser.requireInstalled();
    }

    @Test
    void aUserSetsPreferencesEnablesBrowserNotificationsAndReadsTheBell() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        ApiClient api = ApiClient.local(APP.getLocalPort()).fromRandomIp();
        String name = "bell" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "pass phrase " + UUID.randomUUID();
        assertThat(api.post("/api/v1/users/register", null, Map.of("username", name, "email",
                name + "@example.org", "password", password)).status()).isEqualTo(201);
        JsonNode login = api.post("/api/v1/users/login", null, Map.of("email", name + "@example.org",
                "password", password)).json();
        String token = login.path("token").asText();
        String userId = login.path("user_id").asText();
        assertThat(api.get("/dev/mailbox", null).status()).as("no dev mailbox outside dev mode").isEqualTo(404);

        try (Browser browser = Browser.open("notifications", SHOTS, 1280, 900)) {
            browser.go(base + "/app/");
            browser.script("sessionStorage.setItem('tribune.session', '" + ApiClient.json(Map.of("token", token,
                    "refresh", login.path("refresh_token").asText(), "userId", userId,
                    "expiresAt", System.currentTimeMillis() + 14 * 60_000)).replace("'", "\\'") + "')");
            browser.go(base + "/app/#/settings/notifications");
            browser.sees(Browser.heading("Notification settings"));

            // Preferences: a bad lead time is explained, a good change is saved.
            browser.click(Browser.named("email.reminders"));
            browser.type(Browser.named("reminder_lead_minutes"), "5000");
            browser.click(Browser.button("Save"));
            browser.sees("a whole number of minutes from 0 to 1440");
            browser.type(Browser.named("reminder_lead_minutes"), "25");
            browser.click(Browser.button("Save"));
            browser.sees("Notification settings saved.");
            assertThat((Boolean) browser.script("return document.querySelector(\"[name='email.account']\").disabled"))
                    .isTrue();
            JsonNode saved = api.get("/api/v1/users/me/notification_preferences", token).json();
            assertThat(saved.path("reminder_lead_minutes").asInt()).isEqualTo(25);
            assertThat(saved.path("preferences").path("email").path("reminders").asBoolean()).isFalse();
            assertThat(saved.path("preferences").path("push").path("reminders").asBoolean()).isTrue();
            browser.snap("settings");

            // Browser notifications: permission granted as a person would, the service worker registered.
            browser.grant(base, "notifications");
            browser.click(Browser.button("Enable browser notifications"));
            // Offline, Chromium's own subscribe() fails or never answers: the page must say so, not hang.
            browser.until("document.querySelector('.push-error').textContent !== ''"
                    + " || document.querySelector('.push-status').textContent.includes('are on')");
            System.out.println("real subscribe() in headless Chromium: " + browser.script(
                    "return document.querySelector('.push-error').textContent"
                            + " || document.querySelector('.push-status').textContent"));
            Object scope = browser.asyncScript("const done = arguments[arguments.length - 1];"
                    + "navigator.serviceWorker.getRegistration('/app/').then(r => done(r ? r.scope : null));");
            assertThat(String.valueOf(scope)).isEqualTo(base + "/app/");
            browser.snap("push-real-subscribe");

            // The browser's push service stood in for: the page posts the subscription, the API keeps it.
            String endpoint = "https://push.example.net/send/" + UUID.randomUUID();
            browser.script("const endpoint = '" + endpoint + "';"
                    + "PushManager.prototype.getSubscription = async () => null;"
                    + "PushManager.prototype.subscribe = async (options) => {"
                    + "  window.subscribedWithKey = options.applicationServerKey.byteLength;"
                    + "  return { endpoint, toJSON: () => ({ endpoint, keys: { p256dh: '" + userAgentKey()
                    + "', auth: 'AAAAAAAAAAAAAAAAAAAAAA' } }) }; };");
            browser.click(Browser.button("Enable browser notifications"));
            browser.sees("Browser notifications are on for this browser.");
            assertThat(((Number) browser.script("return window.subscribedWithKey")).intValue()).isEqualTo(65);
            JsonNode subscriptions = api.get("/api/v1/push/subscriptions", token).json().path("items");
            assertThat(subscriptions.size()).isEqualTo(1);
            assertThat(subscriptions.get(0).path("endpoint").asText()).isEqualTo(endpoint);
            browser.snap("push-enabled");

            // The bell: a ready recording shows up on focus, opens from the list and is then read.
            String meetingId = meeting(api, token, userId, "Roadmap review");
            String recordingId = startAndStop(api, token, userId, meetingId);
            publish(new RecordingEvents.Ready(meetingId, recordingId, List.of(), 4_000, 100, "00"));
            awaitUnread(api, token);
            browser.script("window.dispatchEvent(new Event('focus'))");
            browser.until("document.querySelector('.bell .count') && "
                    + "!document.querySelector('.bell .count').hidden && "
                    + "document.querySelector('.bell .count').textContent === '1'");
            browser.click(By.cssSelector("button.bell"));
            browser.sees("Recording ready: Roadmap review");
            browser.snap("bell-open");
            browser.click(By.cssSelector(".bell-list li.unread a"));
            browser.until("location.hash === '#/recordings/" + recordingId + "'");
            browser.until("document.querySelector('.bell .count').hidden");
            assertThat(api.get("/api/v1/notifications", token).json().path("unread").asInt()).isZero();
            browser.snap("bell-read");
        }
    }

    private static void awaitUnread(ApiClient api, String token) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (api.get("/api/v1/notifications", token).json().path("unread").asInt() > 0) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("no in-app notification within 60 s");
    }

    private static String meeting(ApiClient api, String token, String userId, String title) {
        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Answer created = api.post("/api/v1/meetings", token, Map.of("title", title,
                "start_time", start.toString(), "end_time", start.plusSeconds(3600).toString(),
                "host_id", userId, "allow_overlap", true,
                "settings", Map.of("lobby", false, "join_before_host", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("meeting_id").asText();
    }

    private static String startAndStop(ApiClient api, String token, String userId, String meetingId) {
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", token,
                Map.of("user_id", userId));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(api.post("/api/v1/meetings/" + meetingId + "/recording/stop", token,
                Map.of("user_id", userId)).status()).isEqualTo(200);
        return started.json().path("recording_id").asText();
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

    /** A browser-style P-256 public key: 0x04 and two 32-byte coordinates, base64url. */
    private static String userAgentKey() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.interfaces.ECPublicKey key =
                (java.security.interfaces.ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        byte[] x = key.getW().getAffineX().toByteArray();
        byte[] y = key.getW().getAffineY().toByteArray();
        int xl = Math.min(32, x.length);
        int yl = Math.min(32, y.length);
        System.arraycopy(x, x.length - xl, point, 1 + 32 - xl, xl);
        System.arraycopy(y, y.length - yl, point, 33 + 32 - yl, yl);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(point);
    }
}
