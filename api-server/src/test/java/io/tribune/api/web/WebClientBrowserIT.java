package io.tribune.api.web;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import com.fasterxml.jackson.databind.JsonNode;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.platform.PlatformExtension;
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

import static io.tribune.api.web.Browser.button;
import static io.tribune.api.web.Browser.heading;
import static io.tribune.api.web.Browser.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's journey through the web client in real headless Chromium against the real server: sign up, schedule,
 * join; a guest on a phone-sized screen opens the invite link, waits in the lobby and is admitted; they chat
 * (markup stays text, links become links); the host records for a moment (the guest sees the badge); the host
 * removes the guest. Screenshots of every step are written to
 * {@code target/screenshots/meeting-journey/}.
 */
@ExtendWith(PlatformExtension.class)
class WebClientBrowserIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    private static final Path SHOTS = Path.of("target", "screenshots", "meeting-journey");
    private static final By PEOPLE_TAB = By.xpath("//button[starts-with(normalize-space(.),'People')]");
    private static final By CHAT_TAB = By.xpath("//button[starts-with(normalize-space(.),'Chat')]");
    private static final By MESSAGE = By.cssSelector("textarea[aria-label='Message']");
    private static final By CONNECTED = By.xpath("//span[@data-status='channel' and .='connected']");

    @BeforeAll
    static void chromium() throws Exception {
        Browser.requireInstalled();
    }

    @Test
    void aHostSchedulesAGuestIsAdmittedFromTheLobbyTheyChatAndTheHostRemovesTheGuest() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        String name = "host" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser host = Browser.open("host", SHOTS, 1280, 860);
             Browser guest = Browser.open("guest", SHOTS, 360, 780)) {
            try {
                journey(base, name, host, guest);
            } catch (Exception | AssertionError e) {
                host.snap("failure");
                guest.snap("failure");
                throw e;
            }
        }
    }

    /**
     * A town hall's stage: the host starts and stops the broadcast from the meeting page and sees its state; a
     * failed call says why in the page. (The media chain behind it is ops' TownHallStageIT.)
     */
    @Test
    void aTownHallHostStartsAndStopsTheBroadcastAndSeesWhyACallFailed() throws Exception {
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        ApiClient api = ApiClient.local(APP.getLocalPort());
        String name = "th" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "pass phrase " + UUID.randomUUID();
        String userId = api.post("/api/v1/users/register", null, Map.of("username", name, "email",
                name + "@example.org", "password", password)).json().path("user_id").asText();
        String admin = api.fromRandomIp().post("/api/v1/users/login", null, Map.of("email", "admin@tribune.test",
                "password", "bootstrap admin password 1")).json().path("token").asText();
        assertThat(api.patch("/api/v1/admin/users/" + userId, admin, Map.of("role", "host")).status())
                .isEqualTo(200);
        JsonNode login = api.fromRandomIp().post("/api/v1/users/login", null, Map.of("email", name + "@example.org",
                "password", password)).json();
        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Answer created = api.post("/api/v1/meetings", login.path("token").asText(), Map.of("title", "All hands",
                "kind", "town_hall", "start_time", start.toString(), "end_time", start.plusSeconds(3600).toString(),
                "host_id", userId, "allow_overlap", true, "settings", Map.of("lobby", false)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String meetingId = created.json().path("meeting_id").asText();

        try (Browser host = Browser.open("town-hall-host", SHOTS, 1280, 860)) {
            try {
                host.go(base + "/app/");
                host.script("sessionStorage.setItem('tribune.session', '" + ApiClient.json(Map.of("token",
                        login.path("token").asText(), "refresh", login.path("refresh_token").asText(), "userId",
                        userId, "expiresAt", System.currentTimeMillis() + 14 * 60_000)).replace("'", "\\'") + "')");
                host.go(base + "/app/#/join/" + meetingId);
                host.click(button("Join meeting")).sees(CONNECTED);
                host.sees(By.cssSelector(".broadcast-state[data-broadcast=idle]")).sees("Broadcast not started")
                        .snap("town-hall-idle");

                host.click(button("Start broadcast"));
                host.sees(By.cssSelector(".broadcast-state[data-broadcast=live]")).sees(button("Stop broadcast"))
                        .snap("town-hall-live");
                assertThat(api.get("/api/v1/meetings/" + meetingId + "/broadcast", login.path("token").asText())
                        .json().path("state").asText()).isEqualTo("live");

                // Offline, the call fails and the page says so; the state stays as it was.
                host.offline(true);
                host.click(button("Stop broadcast"));
                host.sees(By.cssSelector("[data-error=broadcast]")).sees("Could not stop the broadcast")
                        .snap("town-hall-stop-failed");
                assertThat(host.find(By.cssSelector("[data-error=broadcast]")).getAttribute("role"))
                        .isEqualTo("alert");
                host.offline(false);
                host.click(button("Stop broadcast"));
                host.sees(By.cssSelector(".broadcast-state[data-broadcast=stopped]")).sees("Broadcast ended")
                        .sees(button("Start broadcast")).snap("town-hall-stopped");
                assertThat(host.script("return document.querySelector('[data-error=broadcast]').hidden"))
                        .as("the error went with the next call that worked").isEqualTo(true);
            } catch (Exception | AssertionError e) {
                host.snap("failure");
                throw e;
            }
        }
    }

    private static void journey(String base, String name, Browser host, Browser guest) throws Exception {
        {
            host.go(base + "/").sees(heading("Log in to Tribune")).snap("login");
            host.click(button("Create an account")).sees(heading("Create your account"))
                    .type(named("username"), name).type(named("email"), name + "@example.org")
                    .type(named("password"), "a long enough pass phrase").snap("sign-up");
            host.click(button("Create account")).sees(heading("Your meetings")).snap("dashboard");

            host.click(button("Schedule a meeting")).sees(heading("Schedule a meeting"))
                    .type(named("title"), "Design review").type(named("passcode"), "246810").snap("schedule");
            host.click(button("Schedule")).sees(heading("Design review")).sees("Meeting ID").snap("meeting");
            String joinUrl = host.find(By.xpath("//p[starts-with(normalize-space(.),'Link:')]/code")).getText();
            assertThat(joinUrl).contains("/meetings/");

            host.click(button("Join")).sees(heading("Ready to join?")).click(button("Join meeting"))
                    .sees(button("Leave")).sees(CONNECTED).snap("host-in-meeting");
            assertThat(host.script("return document.querySelector('.controls.broadcast').hidden"))
                    .as("a plain meeting has no broadcast controls").isEqualTo(true);

            guest.go(joinUrl.replaceFirst("^https?://[^/]+", base)).sees(heading("Ready to join?"))
                    .type(named("display_name"), "Guest <i>Grace</i>").type(named("passcode"), "246810")
                    .snap("guest-pre-join");
            guest.click(button("Join meeting")).sees("waiting room").snap("guest-in-lobby");

            host.click(PEOPLE_TAB).sees("Guest <i>Grace</i>").snap("host-sees-lobby").click(button("Admit"));
            guest.sees(button("Leave")).sees(CONNECTED).snap("guest-admitted");
            host.sees(By.xpath("//ul[@aria-label='Participants']//strong[.='Guest <i>Grace</i>']"));

            // Grace raises her hand: her line in the host's list says so, and the host's controls on that line are
            // the same buttons as before (a list rebuilt on every update loses the click that was on its way).
            host.script("window.graceControls = document.evaluate(\"//ul[@aria-label='Participants']/li[.//strong["
                    + ".='Guest <i>Grace</i>']]//button[.='Remove']\", document, null, 9, null).singleNodeValue");
            guest.click(button("Raise hand")).sees(button("Lower hand"));
            host.sees(By.xpath("//ul[@aria-label='Participants']/li[.//strong[.='Guest <i>Grace</i>']]"
                    + "//div[contains(., 'hand raised')]")).snap("host-sees-raised-hand");
            assertThat(host.script("return window.graceControls !== null && window.graceControls.isConnected"))
                    .as("the Remove button the host was about to press is still in the page").isEqualTo(true);
            guest.click(button("Lower hand")).sees(button("Raise hand"));

            guest.type(MESSAGE, "Hello <b>everyone</b>, notes at https://example.org/notes").click(button("Send"));
            host.click(CHAT_TAB).sees("Hello <b>everyone</b>, notes at").snap("host-reads-chat");
            assertThat(host.script("return document.querySelectorAll('.messages b, .messages i').length"))
                    .as("markup in messages and names stays text").isEqualTo(0L);
            assertThat(host.script("return document.querySelector(\".messages a[href='https://example.org/notes']\")"
                    + " !== null")).isEqualTo(true);
            host.type(MESSAGE, "Welcome, Grace!").click(button("Send"));
            guest.sees("Welcome, Grace!").snap("guest-reads-chat");

            // The host records: the guest sees the red badge at once and acknowledges the notice; the host stops.
            host.click(button("Record")).sees(button("Stop recording"))
                    .sees(By.cssSelector(".badge.recording[data-recording=on]"));
            guest.sees(By.cssSelector(".badge.recording[data-recording=on]"))
                    .sees("This meeting is now being recorded.").snap("guest-sees-recording");
            assertThat(guest.script("return document.querySelector('.badge.recording').hidden")).isEqualTo(false);
            guest.click(button("Got it"));
            assertThat(guest.script("return document.querySelector('.recording-notice').hidden")).isEqualTo(true);
            host.click(button("Stop recording")).sees(button("Record"));
            guest.until("document.querySelector('.badge.recording[data-recording=off]')?.hidden");

            // The guest's network drops (offline, channel socket cut) while the host writes. Back online, the page
            // rejoins as the guest the host admitted, not into the lobby, and resumes after the last message seen.
            Object guestId = guest.script("return window.tribuneRoom.me");
            guest.offline(true);
            guest.script("window.tribuneRoom.channel.drop()");
            guest.sees(By.xpath("//span[@data-status='channel' and .!='connected']"));
            host.type(MESSAGE, "You missed this one").click(button("Send")).sees("You missed this one");
            assertThat(guest.shows("You missed this one")).isFalse();
            guest.offline(false);
            guest.sees(CONNECTED).sees("You missed this one").sees(button("Leave")).snap("guest-reconnected");
            assertThat(guest.script("return [...document.querySelectorAll('.message .text')].filter((e) => "
                    + "['You missed this one', 'Welcome, Grace!'].includes(e.textContent)).length"))
                    .as("each message once").isEqualTo(2L);
            assertThat(guest.script("return window.tribuneRoom.me")).as("the same participant").isEqualTo(guestId);
            assertThat(guest.shows("waiting room")).isFalse();

            host.click(PEOPLE_TAB).click(button("Remove")).accept();
            guest.sees("The host removed you from the meeting.").snap("guest-removed");
            host.click(PEOPLE_TAB);
            assertThat(host.shows("Guest <i>Grace</i>")).isFalse();
            host.snap("host-after-removal");
        }
    }
}
