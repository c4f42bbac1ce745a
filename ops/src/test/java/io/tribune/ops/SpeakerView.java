package io.tribune.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.tribune.ops.Browser.button;
import static io.tribune.ops.Browser.heading;
import static io.tribune.ops.Browser.named;
import static io.tribune.ops.MeetingPages.CHAT_TAB;
import static io.tribune.ops.MeetingPages.CONNECTED;
import static io.tribune.ops.MeetingPages.MEDIA_CONNECTED;
import static io.tribune.ops.MeetingPages.MEDIA_TIMEOUT;
import static io.tribune.ops.MeetingPages.PEOPLE_TAB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-meeting layout and the participants panel with real media, through the web client, api-server and SFU
 * that {@code tribune up} starts: a host on a desktop screen and a guest on a 360 px screen each see the other's
 * connection quality (reported by the other's page from its getStats) in the participants panel; the speaker
 * view, switched on with the keyboard, puts the other person on the big stage and a screen share in their place
 * while it lasts; the choice is remembered when the host joins again. Screenshots of every step are written to
 * {@code target/screenshots/speaker-view/}. Run by {@link BrowserJourneysIT}.
 */
final class SpeakerView {

    private static final Path SHOTS = Path.of("target", "screenshots", "speaker-view");
    private static final By SPEAKER_VIEW = button("Speaker view");
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

    private SpeakerView() {
    }

    static void run(TribuneUp tribune) throws Exception {
        String base = tribune.baseUrl();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        try (Browser host = Browser.open("host", SHOTS, 1280, 860);
             Browser guest = Browser.open("guest", SHOTS, 360, 780)) {
            try {
                meet(base, suffix, host, guest);
            } catch (Exception | AssertionError e) {
                MeetingPages.reportFailure(List.of(host, guest));
                throw e;
            }
        }
    }

    private static void meet(String base, String suffix, Browser host, Browser guest) throws Exception {
        String hostName = "ada_" + suffix;
        String guestName = "Grace";

        MeetingPages.signUp(host, base, hostName, hostName);
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
        MeetingPages.admitIfWaiting(host, guest, guestName);
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
        JsonNode hostView = host.until(MEDIA_TIMEOUT, SpeakerView::layout,
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
        JsonNode guestView = guest.until(MEDIA_TIMEOUT, SpeakerView::layout,
                l -> l.path("featured").asText().equals(hostId));
        assertThat(guestView.path("pressed").asText()).isEqualTo("true");
        assertThat(guestView.path("tiles").path(hostId).path("width").asInt())
                .as("on a phone the stage spans the width: %s", guestView).isGreaterThan(300);
        assertThat(guestView.path("tiles").path(guestId).path("width").asInt()).isLessThan(130);
        assertThat(guestView.path("scrollWidth").asInt()).as("no sideways scrolling at 360 px")
                .isEqualTo(guestView.path("innerWidth").asInt());
        guest.snap("speaker-view");

        // A screen share takes the stage while it lasts (that its frames play is MeetingJourney's to check).
        host.click(button("Share screen")).sees(button("Stop sharing"));
        String screen = hostId + ":screen";
        JsonNode sharing = guest.until(MEDIA_TIMEOUT, SpeakerView::layout,
                l -> l.path("featured").asText().equals(screen));
        assertThat(sharing.path("featured").asText()).as("the share has the stage: %s", sharing).isEqualTo(screen);
        assertThat(sharing.path("tiles").path(screen).path("width").asInt()).isGreaterThan(300);
        assertThat(sharing.path("tiles").path(hostId).path("width").asInt()).as("the sharer goes to the strip")
                .isLessThan(130);
        guest.snap("screen-share-on-stage");
        host.click(button("Stop sharing"));
        JsonNode after = guest.until(MEDIA_TIMEOUT, SpeakerView::layout,
                l -> l.path("featured").asText().equals(hostId));
        assertThat(after.path("featured").asText()).as("the speaker is back on the stage").isEqualTo(hostId);
        guest.snap("share-ended");

        // The host leaves and joins again: the browser remembered the speaker view.
        host.click(button("Leave")).sees(heading("Your meetings"));
        host.go(joinUrl).sees(heading("Ready to join?")).click(button("Join meeting")).sees(CONNECTED);
        JsonNode rejoined = host.until(MEDIA_TIMEOUT, SpeakerView::layout,
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
}
