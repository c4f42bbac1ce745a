package io.tribune.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.api.kafka.LiveCaptionsConsumer;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.platform.PlatformExtension;
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

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.tribune.api.web.Browser.button;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live captions on the meeting page in real headless Chromium: the host starts captions, captions produced to the
 * real Kafka appear over the stage with the speaker's name (a partial replaced in place by its final, markup kept as
 * text), the viewer's CC toggle hides and shows them (remembered), lines fade, a refused start says what to do, and
 * the edit form sets {@code auto_captions} and {@code share_summary}.
 * Screenshots under {@code target/screenshots/captions/}.
 */
@ExtendWith(PlatformExtension.class)
class CaptionsBrowserIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    private static final Path SHOTS = Path.of("target", "screenshots", "captions");
    private static final By CONNECTED = By.xpath("//span[@data-status='channel' and .='connected']");
    private static final By OVERLAY = By.cssSelector(".captions-overlay[data-captions=on]");
    private static final String SPEAKER = "Ada <i>Lovelace</i>";

    @BeforeAll
    static void chromium() throws Exception {
        Browser.requireInstalled();
    }

    @Test
    void theHostStartsCaptionsAndTheyShowWithTheSpeakersNameUntilTheViewerHidesThem() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        ApiClient api = ApiClient.local(APP.getLocalPort());
        String name = "cc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "pass phrase " + UUID.randomUUID();
        String userId = api.post("/api/v1/users/register", null, Map.of("username", name, "email",
                name + "@example.org", "password", password)).json().path("user_id").asText();
        JsonNode login = api.fromRandomIp().post("/api/v1/users/login", null, Map.of("email", name + "@example.org",
                "password", password)).json();
        String token = login.path("token").asText();
        String meetingId = meeting(api, token, userId, true);
        String forbidden = meeting(api, token, userId, false);
        String speakerId = "guest-" + UUID.randomUUID();

        try (Browser host = Browser.open("captions-host", SHOTS, 1280, 860);
             KafkaProducer<String, byte[]> producer = producer()) {
            try {
                host.go(base + "/app/");
                host.script("localStorage.removeItem('tribune.captions'); sessionStorage.setItem('tribune.session', '"
                        + ApiClient.json(Map.of("token", token, "refresh", login.path("refresh_token").asText(),
                        "userId", userId, "expiresAt", System.currentTimeMillis() + 14 * 60_000))
                        .replace("'", "\\'") + "')");
                host.go(base + "/app/#/join/" + meetingId);
                host.click(button("Join meeting")).sees(CONNECTED).sees(button("Start captions"));
                assertThat(host.script("return document.querySelector('.badge.captions-on').hidden")).isEqualTo(true);

                host.click(button("Start captions")).sees(button("Stop captions")).sees("CC Captions on");
                assertThat(api.get("/api/v1/meetings/" + meetingId + "/captions", token).json().path("enabled")
                        .asBoolean()).isTrue();
                awaitRelayAssigned();

                String phrase = "p-" + UUID.randomUUID();
                send(producer, caption(meetingId, speakerId, phrase, "hello from the", false));
                host.sees(OVERLAY).sees(SPEAKER + ": hello from the").snap("partial");
                send(producer, caption(meetingId, speakerId, phrase, "hello from the <b>captions</b> test", true));
                host.sees(SPEAKER + ": hello from the <b>captions</b> test").snap("final");
                assertThat(host.script("return document.querySelectorAll('.caption-line').length"))
                        .as("the partial was replaced in place").isEqualTo(1L);
                assertThat(host.script("return document.querySelector('.caption-line').dataset.final"))
                        .isEqualTo("true");
                assertThat(host.script("return document.querySelectorAll('.captions-overlay b, "
                        + ".captions-overlay i').length")).as("markup stays text").isEqualTo(0L);
                assertThat(host.script("return document.querySelector('.captions-overlay')"
                        + ".getAttribute('aria-live')")).isEqualTo("polite");

                // The viewer hides captions: the overlay goes, the choice is remembered; a caption meanwhile is kept
                // out of sight, and shown when they come back.
                host.click(By.cssSelector("[data-action=captions-toggle]"));
                host.until("document.querySelector('.captions-overlay').hidden");
                assertThat(host.shows("hello from the")).isFalse();
                assertThat(host.script("return localStorage.getItem('tribune.captions')")).isEqualTo("off");
                assertThat(host.script("return document.querySelector('[data-action=captions-toggle]')"
                        + ".getAttribute('aria-pressed')")).isEqualTo("false");
                host.snap("hidden");
                String later = "p-" + UUID.randomUUID();
                send(producer, caption(meetingId, speakerId, later, "said while hidden", true));
                host.until("document.querySelector(\"[data-phrase='" + later + "']\")");
                assertThat(host.shows("said while hidden")).isFalse();
                host.click(By.cssSelector("[data-action=captions-toggle]")).sees("said while hidden");
                assertThat(host.script("return localStorage.getItem('tribune.captions')")).isEqualTo("on");

                // Nobody speaks: the lines fade and go.
                host.until("document.querySelectorAll('.caption-line').length === 0");

                host.click(button("Stop captions")).sees(button("Start captions"));
                host.until("document.querySelector('.badge.captions-on').hidden");

                // A meeting whose settings forbid transcription: the host is told what to do.
                host.go(base + "/app/#/join/" + forbidden);
                host.click(button("Join meeting")).sees(CONNECTED).click(button("Start captions"));
                host.sees(By.cssSelector("[data-error=captions]")).sees("allow transcription in the meeting's "
                        + "settings").snap("not-allowed");

                // The host asks for captions from the start, and for the summary to go to those who consented,
                // in the meeting's settings.
                host.go(base + "/app/#/meetings/" + meetingId + "/edit").sees(button("Save changes"))
                        .sees("Send the summary to participants who consented")
                        .click(Browser.named("auto_captions")).click(Browser.named("share_summary"))
                        .snap("auto-captions-setting")
                        .click(button("Save changes")).sees(Browser.heading("Captions"));
                JsonNode saved = api.get("/api/v1/meetings/" + meetingId, token).json().path("settings");
                assertThat(saved.path("auto_captions").asBoolean()).isTrue();
                assertThat(saved.path("share_summary").asBoolean()).isTrue();
                // The form shows what is stored.
                host.go(base + "/app/#/meetings/" + meetingId + "/edit").sees(button("Save changes"))
                        .until("document.querySelector('[name=share_summary]')?.checked === true");
            } catch (Exception | AssertionError e) {
                host.snap("failure");
                throw e;
            }
        }
    }

    private static String meeting(ApiClient api, String token, String userId, boolean transcription) {
        Instant start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Answer created = api.post("/api/v1/meetings", token, Map.of("title", "Captions", "start_time",
                start.toString(), "end_time", start.plusSeconds(3600).toString(), "host_id", userId,
                "allow_overlap", true, "settings", Map.of("lobby", false, "transcription_allowed", transcription)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("meeting_id").asText();
    }

    private static CaptionEvents.Caption caption(String meetingId, String speakerId, String phraseId, String text,
                                                 boolean isFinal) {
        Instant end = Instant.now();
        return new CaptionEvents.Caption(meetingId, speakerId, SPEAKER, "track-1", phraseId, text, isFinal, 0,
                1_200, end.minusMillis(1_200), end);
    }

    /** The relay owns the captions topic's partitions: a caption produced now is read at once. */
    private static void awaitRelayAssigned() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean assigned = APP.getEnvironment().lifecycle().getManagedObjects().stream()
                    .map(managed -> managed instanceof JettyManaged jetty ? jetty.getManaged() : null)
                    .filter(LiveCaptionsConsumer.class::isInstance).map(LiveCaptionsConsumer.class::cast)
                    .anyMatch(relay -> relay.consumer() != null && relay.consumer().hasAssignment());
            if (assigned) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("the captions relay never got its partitions");
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApps.urls().kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, CaptionEvents.Caption caption)
            throws Exception {
        Event event = Event.of(caption, Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }
}
