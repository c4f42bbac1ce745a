package io.tribune.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.tribune.ops.Browser.button;
import static io.tribune.ops.Browser.heading;
import static io.tribune.ops.Browser.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-meeting layout and the participants panel with real media, through the web client, api-server and SFU
 * that {@code tribune up} starts: a host on a desktop screen and a guest on a 360 px screen each see the other's
 * connection quality (reported by the other's page from its getStats) in the participants panel; the speaker
 * view, switched on with the keyboard, puts the other person on the big stage and a screen share in their place
 * while it lasts; the choice is remembered when the host joins again. Screenshots of every step are written to
 * {@code target/screenshots/speaker-view/}.
 */
class SpeakerViewIT {

    private static final Path SHOTS = Path.of("target", "screenshots", "speaker-view");
    private static final By PEOPLE_TAB = By.xpath("//button[starts-with(normalize-space(.),'People')]");
    private static final By CHAT_TAB = By.xpath("//button[starts-with(normalize-space(.),'Chat')]");
    private static final By CONNECTED = By.xpath("//span[@data-status='channel' and .='connected']");
    private static final By MEDIA_CONNECTED = By.xpath("//span[@data-status='media' and .='media connected']");
    private static final By SPEAKER_VIEW = button("Speaker view");
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The layout as a user sees it: which tile has the stage, every tile's width and whether its video plays. */
    private static final String LAYOUT = """
            const grid = document.querySelector('.grid');
            const featured = document.querySelector('.tile.featured');
            const tiles = {};
            document.querySelectorAll('.tile').forEach((t) => {
              const video = t.querySelector('video');
              tiles[t.dataset.participant] = { width: Math.round(t.getBoundingClientRect().width),
                playing: video.videoWidth > 0 };
            });
            return JSON.stringify({ layout: grid.dataset.layout, featured: featured ? featured.dataset.participant : null,
              pressed: [...document.querySelectorAll('button')].find((b) => b.textContent === 'Speaker view')
                .getAttribute('aria-pressed'),
              stored: localStorage.getItem('tribune.layout'), tiles,
              scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth });
            """;

    /** The quality badge in the participants panel's entry for the person named arguments[0]: level and text. */
    private static final String PEER_QUALITY = """
            const entry = [...document.querySelectorAll("ul[aria-label='Participants'] > li")]
              .find((li) => [...li.querySelectorAll('strong')].some((s) => s.textContent === arguments[0]));
            const badge = entry && entry.querySelector('.quality-badge');
            return badge ? JSON.stringify({ level: badge.dataset.quality, text: badge.textContent.trim(),
              iconHidden: badge.querySelector('.bars').getAttribute('aria-hidden') }) : null;
            """;

    @TempDir
    Path dataDir;

    private final Map<String, String> env = new HashMap<>();
    private Process platform;

    @BeforeAll
    static void chromium() {
        Browser.requireInstalled();
    }

    @BeforeEach
    void startTribune() throws Exception {
        env.put("TRIBUNE_DATA_DIR", dataDir.toString());
        List<String> names = List.of("API", "ADMIN", "POSTGRES", "KAFKA", "REDIS", "S3", "SFU", "SFU_ADMIN", "MEDIA",
                "SMTP", "MAILBOX", "NOTIFY_ADMIN");
        List<Integer> ports = Ports.distinctFree(names.size());
        for (int i = 0; i < names.size(); i++) {
            env.put("TRIBUNE_" + names.get(i) + "_PORT", Integer.toString(ports.get(i)));
        }
        platform = up();
    }

    @AfterEach
    void stopTribune() throws Exception {
        TribuneCli.run(new String[] {"down"}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), env);
        if (platform != null) {
            platform.destroyForcibly();
        }
    }

    @Test
    void eachSeesTheOthersConnectionQualityAndTheSpeakerViewPutsTheSpeakerOrAShareOnTheStage() throws Exception {
        String base = "http://127.0.0.1:" + env.get("TRIBUNE_API_PORT");
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        try (Browser host = Browser.open("host", SHOTS, 1280, 860);
             Browser guest = Browser.open("guest", SHOTS, 360, 780)) {
            try {
                meet(base, suffix, host, guest);
            } catch (Exception | AssertionError e) {
                for (Browser browser : List.of(host, guest)) {
                    try {
                        System.out.println(browser.name() + " media log: " + browser.script(
                                "return JSON.stringify(window.tribuneRoom && window.tribuneRoom.mediaLog)"));
                        browser.snap("failure");
                    } catch (RuntimeException ignored) {
                        // a browser that died cannot take a screenshot
                    }
                }
                throw e;
            }
        }
    }

    private static void meet(String base, String suffix, Browser host, Browser guest) throws Exception {
        String hostName = "ada_" + suffix;
        String guestName = "Grace";

        host.go(base + "/").sees(heading("Log in to Tribune"));
        host.click(button("Create an account")).sees(heading("Create your account"))
                .type(named("username"), hostName).type(named("email"), hostName + "@example.org")
                .type(named("password"), "a long enough pass phrase");
        host.click(button("Create account")).sees(heading("Your meetings"));
        host.click(button("Schedule a meeting")).sees(heading("Schedule a meeting"))
                .type(named("title"), "Layout review").type(named("passcode"), "246810");
        host.click(button("Schedule")).sees(heading("Layout review"));
        String joinUrl = host.find(By.xpath("//p[starts-with(normalize-space(.),'Link:')]/code")).getText()
                .replaceFirst("^https?://[^/]+", base);
        host.click(button("Join")).sees(heading("Ready to join?")).click(button("Join meeting"))
                .sees(CONNECTED).sees(MEDIA_CONNECTED);

        guest.go(joinUrl).sees(heading("Ready to join?")).type(named("display_name"), guestName)
                .type(named("passcode"), "246810");
        guest.click(button("Join meeting"));
        String where = guest.until(MEDIA_TIMEOUT, b -> b.shows("waiting room") ? "lobby"
                : b.shows("Leave") ? "room" : "", w -> !w.isEmpty());
        if ("lobby".equals(where)) {
            host.click(PEOPLE_TAB).sees(guestName).click(By.xpath("//li[span[.='" + guestName
                    + "']]//button[.='Admit']"));
        }
        guest.sees(CONNECTED).sees(MEDIA_CONNECTED);
        String hostId = (String) host.script("return window.tribuneRoom.me");
        String guestId = (String) guest.script("return window.tribuneRoom.me");
        boolean hostSees = host.until(MEDIA_TIMEOUT, b -> layout(b).path("tiles").path(guestId).path("playing")
                .asBoolean(), Boolean.TRUE::equals);
        assertThat(hostSees).as("the host sees the guest's video").isTrue();
        boolean guestSees = guest.until(MEDIA_TIMEOUT, b -> layout(b).path("tiles").path(hostId).path("playing")
                .asBoolean(), Boolean.TRUE::equals);
        assertThat(guestSees).as("the guest sees the host's video").isTrue();
        assertThat(layout(host).path("layout").asText()).as("the grid is the first layout").isEqualTo("grid");
        host.snap("grid");

        // Each page reports its own quality; the other's participants panel shows it as an icon and in words.
        host.click(PEOPLE_TAB);
        guest.click(PEOPLE_TAB);
        for (Browser[] pair : List.of(new Browser[] {host, guest}, new Browser[] {guest, host})) {
            Browser viewer = pair[0];
            String other = pair[1] == host ? hostName : guestName;
            // A page rates itself poor until media flows, and reports a change at most every 10 s.
            String badge = viewer.until(MEDIA_TIMEOUT, b -> (String) b.script(PEER_QUALITY, other),
                    b -> b != null && !b.contains("\"poor\""));
            assertThat(badge).as("%s sees %s's connection quality", viewer.name(), other).isNotNull();
            JsonNode quality = JSON.readTree(badge);
            assertThat(quality.path("level").asText()).as("on loopback").isIn("good", "fair");
            assertThat(quality.path("text").asText()).isEqualTo("Connection " + quality.path("level").asText());
            assertThat(quality.path("iconHidden").asText()).as("the icon is decoration; the words say it")
                    .isEqualTo("true");
            viewer.snap("people-with-quality");
        }
        host.click(CHAT_TAB);
        guest.click(CHAT_TAB);

        // The host switches to the speaker view with the keyboard alone: the guest takes the stage.
        host.find(SPEAKER_VIEW).sendKeys(Keys.ENTER);
        JsonNode hostView = host.until(MEDIA_TIMEOUT, SpeakerViewIT::layout,
                l -> l.path("featured").asText().equals(guestId));
        assertThat(hostView.path("layout").asText()).isEqualTo("speaker");
        assertThat(hostView.path("pressed").asText()).isEqualTo("true");
        assertThat(hostView.path("stored").asText()).as("remembered in this browser").isEqualTo("speaker");
        assertThat(hostView.path("featured").asText()).as("the other person has the stage").isEqualTo(guestId);
        assertThat(hostView.path("tiles").path(guestId).path("width").asInt())
                .as("the stage is much wider than the strip: %s", hostView)
                .isGreaterThan(3 * hostView.path("tiles").path(hostId).path("width").asInt());
        host.snap("speaker-view");

        guest.find(SPEAKER_VIEW).sendKeys(Keys.SPACE);
        JsonNode guestView = guest.until(MEDIA_TIMEOUT, SpeakerViewIT::layout,
                l -> l.path("featured").asText().equals(hostId));
        assertThat(guestView.path("pressed").asText()).isEqualTo("true");
        assertThat(guestView.path("tiles").path(hostId).path("width").asInt())
                .as("on a phone the stage spans the width: %s", guestView).isGreaterThan(300);
        assertThat(guestView.path("tiles").path(guestId).path("width").asInt()).isLessThan(130);
        assertThat(guestView.path("scrollWidth").asInt()).as("no sideways scrolling at 360 px")
                .isEqualTo(guestView.path("innerWidth").asInt());
        guest.snap("speaker-view");

        // A screen share takes the stage while it lasts (that its frames play is MeetingJourneyIT's to check).
        host.click(button("Share screen")).sees(button("Stop sharing"));
        String screen = hostId + ":screen";
        JsonNode sharing = guest.until(MEDIA_TIMEOUT, SpeakerViewIT::layout,
                l -> l.path("featured").asText().equals(screen));
        assertThat(sharing.path("featured").asText()).as("the share has the stage: %s", sharing).isEqualTo(screen);
        assertThat(sharing.path("tiles").path(screen).path("width").asInt()).isGreaterThan(300);
        assertThat(sharing.path("tiles").path(hostId).path("width").asInt()).as("the sharer goes to the strip")
                .isLessThan(130);
        guest.snap("screen-share-on-stage");
        host.click(button("Stop sharing"));
        JsonNode after = guest.until(MEDIA_TIMEOUT, SpeakerViewIT::layout,
                l -> l.path("featured").asText().equals(hostId));
        assertThat(after.path("featured").asText()).as("the speaker is back on the stage").isEqualTo(hostId);
        guest.snap("share-ended");

        // The host leaves and joins again: the browser remembered the speaker view.
        host.click(button("Leave")).sees(heading("Your meetings"));
        host.go(joinUrl).sees(heading("Ready to join?")).click(button("Join meeting")).sees(CONNECTED);
        JsonNode rejoined = host.until(MEDIA_TIMEOUT, SpeakerViewIT::layout,
                l -> l.path("featured").asText().equals(guestId));
        assertThat(rejoined.path("layout").asText()).isEqualTo("speaker");
        assertThat(rejoined.path("pressed").asText()).isEqualTo("true");
        host.snap("speaker-view-remembered");
        host.click(SPEAKER_VIEW);
        JsonNode grid = layout(host);
        assertThat(grid.path("layout").asText()).isEqualTo("grid");
        assertThat(grid.path("featured").isNull()).as("no stage in the grid").isTrue();
        assertThat(grid.path("stored").asText()).isEqualTo("grid");
        host.snap("grid-again");
    }

    private static JsonNode layout(Browser browser) {
        try {
            return JSON.readTree((String) browser.script(LAYOUT));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Process up() throws Exception {
        String classpath = Path.of("target", "classes").toAbsolutePath() + ":"
                + Files.readString(Path.of("target", "classpath.txt")).trim();
        ProcessBuilder builder = new ProcessBuilder(Jvm.javaBinary(), "-Xmx1g", "-cp", classpath,
                TribuneCli.class.getName(), "up").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith("Tribune is up in")) {
                Thread drain = new Thread(() -> reader.lines().forEach(l -> { }), "drain-up-output");
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("tribune up did not become ready:\n" + output);
    }
}
