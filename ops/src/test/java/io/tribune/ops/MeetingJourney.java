package io.tribune.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.tribune.ops.Browser.button;
import static io.tribune.ops.MeetingPages.CHAT_TAB;
import static io.tribune.ops.MeetingPages.CONNECTED;
import static io.tribune.ops.MeetingPages.MEDIA_CONNECTED;
import static io.tribune.ops.MeetingPages.MEDIA_TIMEOUT;
import static io.tribune.ops.MeetingPages.PEOPLE_TAB;
import static io.tribune.ops.Browser.heading;
import static io.tribune.ops.Browser.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A meeting as people live it, through the real web client, the real api-server and the real SFU node that
 * {@code tribune up} starts: the host signs up and schedules, a second user and a guest (on a 360 px screen) join
 * by the link through the waiting room; all three see and hear each other (each browser's getStats: video frames
 * decoded and audio packets received rising for both others); group and private chat; the host mutes someone
 * (the others stop receiving that microphone); a screen share appears and goes; a file is shared and downloaded
 * intact; the guest's network drops and, back online, the page rejoins without the lobby and shows the chat it
 * missed, once; the host removes the guest. Screenshots of every step are written to
 * {@code target/screenshots/meeting-with-media/}. Run by {@link BrowserJourneysIT}.
 */
final class MeetingJourney {

    private static final Path SHOTS = Path.of("target", "screenshots", "meeting-with-media");
    private static final By MESSAGE = By.cssSelector("textarea[aria-label='Message']");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every inbound RTP stream of the page's peer connection, keyed "participant/source/kind", with its frames
     * decoded and packets received; the page's Media maps each receiving mid to its publisher.
     */
    private static final String INBOUND_STATS = """
            const done = arguments[arguments.length - 1];
            const media = window.tribuneRoom && window.tribuneRoom.media;
            if (!media || !media.pc) { done('{}'); return; }
            media.pc.getStats().then((stats) => {
              const out = {};
              stats.forEach((r) => {
                if (r.type !== 'inbound-rtp') return;
                const remote = media.remote.get(r.mid);
                if (!remote) return;
                out[`${remote.participantId}/${remote.source}/${r.kind}`] =
                  { frames: r.framesDecoded || 0, packets: r.packetsReceived || 0 };
              });
              done(JSON.stringify(out));
            }).catch((e) => done(JSON.stringify({ error: String(e) })));
            """;

    /** Downloads the chat's file link named arguments[0] as the page would and answers its SHA-256 in hex. */
    private static final String DOWNLOAD_SHA256 = """
            const done = arguments[arguments.length - 1];
            const link = [...document.querySelectorAll('.message.file a')].find((a) => a.textContent === arguments[0]);
            fetch(link.href).then((r) => r.arrayBuffer()).then((b) => crypto.subtle.digest('SHA-256', b))
              .then((d) => done([...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, '0')).join('')))
              .catch((e) => done(String(e)));
            """;

    private MeetingJourney() {
    }

    static void run(TribuneUp tribune) throws Exception {
        String base = tribune.baseUrl();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        try (Browser host = Browser.open("host", SHOTS, 1280, 860);
             Browser ben = Browser.open("ben", SHOTS, 1100, 800);
             Browser guest = Browser.open("guest", SHOTS, 360, 780)) {
            try {
                journey(tribune, base, suffix, host, ben, guest);
            } catch (Exception | AssertionError e) {
                MeetingPages.reportFailure(List.of(host, ben, guest));
                tribune.printLogTails(60, "sfu.log", "api-server.log", "recording-archive.log");
                throw e;
            }
        }
    }

    private static void journey(TribuneUp tribune, String base, String suffix, Browser host, Browser ben,
                                Browser guest) throws Exception {
        String hostName = "ada_" + suffix;
        String benName = "ben_" + suffix;
        String guestName = "Grace <i>guest</i>";

        MeetingPages.signUp(host, base, hostName, hostName);
        host.click(button("Schedule a meeting")).sees(heading("Schedule a meeting"))
                .type(named("title"), "Design review").type(named("passcode"), "246810").snap("schedule");
        host.click(button("Schedule")).sees(heading("Design review")).sees("Meeting ID").snap("meeting");
        String joinUrl = host.find(By.xpath("//p[starts-with(normalize-space(.),'Link:')]/code")).getText()
                .replaceFirst("^https?://[^/]+", base);
        host.click(button("Join")).sees(heading("Ready to join?")).click(button("Join meeting"))
                .sees(button("Leave")).sees(CONNECTED).sees(MEDIA_CONNECTED).snap("host-in-meeting");

        MeetingPages.signUp(ben, base, benName, benName);
        ben.go(joinUrl).sees(heading("Ready to join?")).type(named("passcode"), "246810").snap("pre-join");
        ben.click(button("Join meeting"));
        MeetingPages.admitIfWaiting(host, ben, benName);
        ben.sees(CONNECTED).sees(MEDIA_CONNECTED).snap("in-meeting");

        guest.go(joinUrl).sees(heading("Ready to join?")).type(named("display_name"), guestName)
                .type(named("passcode"), "246810").snap("pre-join");
        guest.click(button("Join meeting"));
        MeetingPages.admitIfWaiting(host, guest, guestName);
        guest.sees(CONNECTED).sees(MEDIA_CONNECTED).snap("in-meeting");
        assertThat(guest.script("return [window.innerWidth, document.documentElement.scrollWidth]"))
                .as("a 360 px wide page with no sideways scrolling").isEqualTo(List.of(360L, 360L));

        String hostId = participantId(host);
        String benId = participantId(ben);
        String guestId = participantId(guest);

        // Everyone sees and hears both others: frames decoded and audio packets received keep rising.
        seesAndHears(host, benId, guestId);
        seesAndHears(ben, hostId, guestId);
        seesAndHears(guest, hostId, benId);
        for (Browser browser : List.of(host, ben, guest)) {
            assertThat(browser.script("return [...document.querySelectorAll('.tile video')]"
                    + ".filter((v) => v.videoWidth > 0).length")).as("%s: video tiles playing", browser.name())
                    .isEqualTo(3L);
            browser.snap("sees-and-hears");
        }

        // Each page rates its connection from getStats (round trip, loss): on loopback it settles on good or fair.
        // A page starved of CPU for a moment (two cores, three Chromiums) may say "poor" in between, and reports a
        // change at most every 10 s, so the level is watched until it settles.
        for (Browser browser : List.of(host, ben, guest)) {
            Object level = browser.until(MEDIA_TIMEOUT, b -> b.script("return document.querySelector('.quality')"
                    + ".dataset.quality"), l -> "good".equals(l) || "fair".equals(l));
            assertThat(level).as("%s: connection quality", browser.name()).isIn("good", "fair");
        }

        // The host records the meeting: the others see the indicator at once and acknowledge it.
        host.click(button("Record")).sees(button("Stop recording"));
        for (Browser other : List.of(ben, guest)) {
            other.sees(By.cssSelector(".badge.recording[data-recording=on]"))
                    .sees("This meeting is now being recorded.").snap("recording");
            other.click(button("Got it"));
        }
        String recordingId = (String) host.script("return window.tribuneRoom.recording.recording_id");

        // Group chat reaches everyone; a private message only its target.
        host.type(MESSAGE, "Welcome, everyone! Agenda: https://example.org/agenda").click(button("Send"));
        ben.sees("Welcome, everyone!");
        guest.sees("Welcome, everyone!").snap("group-chat");
        new Select(ben.find(By.cssSelector("select[aria-label='Send to']"))).selectByVisibleText(guestName
                + " (private)");
        ben.type(MESSAGE, "psst, only for you").click(button("Send"));
        guest.sees("psst, only for you").snap("private-chat");
        new Select(ben.find(By.cssSelector("select[aria-label='Send to']"))).selectByVisibleText("Everyone");
        ben.type(MESSAGE, "Back to everyone").click(button("Send"));
        host.sees("Back to everyone");
        assertThat(host.shows("psst, only for you")).as("a private message reaches only its target").isFalse();
        host.snap("no-private-chat");

        // The host stops the recording: the SFU's tap ends every track, and while the meeting goes on the
        // recording-archive stores one file per track in S3 and renders the composed MP4 from them (checked at the
        // end of the journey; a shorter recording keeps the render short on two cores).
        host.click(button("Stop recording")).sees(button("Record"));

        // Ben shares a file: everyone sees it in the chat and downloads exactly the bytes he sent.
        Path agenda = Files.createTempFile("agenda", ".txt");
        byte[] agendaBytes = ("Agenda for the design review\n" + "x".repeat(50_000) + "\nend\n")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(agenda, agendaBytes);
        String agendaName = agenda.getFileName().toString();
        ben.upload(By.cssSelector("input[type=file][aria-label='Share a file']"), agenda);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(agendaBytes));
        for (Browser other : List.of(host, guest)) {
            other.sees(By.xpath("//div[contains(@class,'file')]//a[.='" + agendaName + "']"));
            assertThat(other.asyncScript(DOWNLOAD_SHA256, agendaName))
                    .as("%s downloads the shared file intact", other.name()).isEqualTo(sha256);
            other.snap("file-shared");
        }
        Files.delete(agenda);

        // The host mutes Ben: Ben is told, and the SFU stops forwarding his microphone.
        host.click(PEOPLE_TAB).click(By.xpath("//ul[@aria-label='Participants']/li[.//strong[.='" + benName
                + "']]//button[.='Mute']"));
        ben.sees("The host muted you.").sees(button("Unmute")).snap("muted-by-host");
        host.sees(By.xpath("//ul[@aria-label='Participants']/li[.//strong[.='" + benName
                + "']]//div[contains(., 'muted')]")).snap("ben-muted");
        Thread.sleep(1500); // what was in flight when the SFU muted the track arrives
        long before = inbound(host).path(benId + "/microphone/audio").path("packets").asLong();
        Thread.sleep(3000);
        long after = inbound(host).path(benId + "/microphone/audio").path("packets").asLong();
        assertThat(after - before).as("Ben's audio packets reaching the host while muted").isLessThanOrEqualTo(2);
        ben.click(button("Unmute"));

        // Ben shares his screen: it appears for the others as its own tile, and goes when he stops.
        ben.click(button("Share screen")).sees(button("Stop sharing"));
        By screenTile = By.cssSelector(".tile[data-participant='" + benId + ":screen'] video");
        for (Browser other : List.of(host, guest)) {
            other.sees(screenTile);
            long width = other.until(MEDIA_TIMEOUT, b -> (Long) b.script("const v = document.querySelector("
                    + "\".tile[data-participant='\" + arguments[0] + \":screen'] video\"); return v ? v.videoWidth : 0",
                    benId), w -> w > 0);
            assertThat(width).as("%s shows Ben's screen", other.name()).isPositive();
            other.snap("sees-screen-share");
        }
        ben.snap("sharing");
        ben.click(button("Stop sharing"));
        host.until(MEDIA_TIMEOUT, b -> b.script("return document.querySelector(\".tile[data-participant='\" + "
                + "arguments[0] + \":screen']\") === null", benId), gone -> Boolean.TRUE.equals(gone));
        assertThat(host.script("return document.querySelector(\".tile[data-participant='\" + arguments[0] + "
                + "\":screen']\") === null", benId)).as("the screen tile goes when sharing stops").isEqualTo(true);

        // The guest's network drops: its meeting-channel socket is cut and, while offline, the page cannot get a
        // fresh join token. The others chat meanwhile. Back online, the page rejoins as the guest the host admitted
        // (not into the lobby) and resumes after the last message it saw: each missed message shows exactly once.
        String missedFromHost = "While you were away: the notes are in the doc";
        String missedFromBen = "And the demo moves to Friday";
        guest.offline(true);
        guest.script("window.tribuneRoom.channel.drop()");
        guest.sees(By.xpath("//span[@data-status='channel' and .!='connected']")).snap("offline");
        host.click(CHAT_TAB).type(MESSAGE, missedFromHost).click(button("Send"));
        ben.type(MESSAGE, missedFromBen).click(button("Send"));
        ben.sees(missedFromHost);
        host.sees(missedFromBen);
        assertThat(guest.shows(missedFromHost)).as("nothing reaches the guest while it is offline").isFalse();
        guest.offline(false);
        guest.sees(CONNECTED).sees(missedFromHost).sees(missedFromBen).sees(button("Leave"));
        for (String text : List.of(missedFromHost, missedFromBen, "Welcome, everyone!", "Back to everyone")) {
            assertThat(guest.script("return [...document.querySelectorAll('.message .text')]"
                    + ".filter((e) => e.textContent.startsWith(arguments[0])).length", text))
                    .as("the guest sees \"%s\" once", text).isEqualTo(1L);
        }
        assertThat(guest.shows("waiting room")).as("the guest is back in the meeting, not in the lobby").isFalse();
        assertThat(participantId(guest)).as("the same participant as before").isEqualTo(guestId);
        host.click(PEOPLE_TAB).sees(By.xpath("//ul[@aria-label='Participants']/li[.//strong[.='" + guestName
                + "']]"));
        guest.sees(MEDIA_CONNECTED).snap("reconnected-missed-messages");

        // The host removes the guest: the guest is told and disappears for the others.
        host.click(PEOPLE_TAB).click(By.xpath("//ul[@aria-label='Participants']/li[.//strong[.='" + guestName
                + "']]//button[.='Remove']")).accept();
        guest.sees("The host removed you from the meeting.").snap("removed");
        ben.until(MEDIA_TIMEOUT, b -> b.script("return document.querySelector(\".tile[data-participant='\" + "
                + "arguments[0] + \"']\") === null", guestId), Boolean.TRUE::equals);
        assertThat(ben.script("return document.querySelector(\".tile[data-participant='\" + arguments[0] + \"']\")"
                + " === null", guestId)).as("the removed guest's tile goes").isEqualTo(true);
        ben.snap("guest-gone");
        host.snap("guest-gone");

        // The recording is ready: the catalogue lists one file per track (each readable media of its codec).
        Recordings.assertStored(tribune, host, recordingId, 3);
        // Then the composed MP4 (the archive renders it from those files), played through a signed URL.
        Recordings.assertPlayable(tribune, host, recordingId);
    }

    private static String participantId(Browser browser) {
        return (String) browser.script("return window.tribuneRoom.me");
    }

    private static JsonNode inbound(Browser browser) {
        try {
            return JSON.readTree((String) browser.asyncScript(INBOUND_STATS));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until video frames and audio packets from each of {@code others} arrive, then checks they go on. */
    private static void seesAndHears(Browser browser, String... others) throws InterruptedException {
        JsonNode first = browser.until(MEDIA_TIMEOUT, MeetingJourney::inbound, stats -> {
            for (String other : others) {
                if (stats.path(other + "/camera/video").path("frames").asLong() == 0
                        || stats.path(other + "/microphone/audio").path("packets").asLong() == 0) {
                    return false;
                }
            }
            return true;
        });
        Thread.sleep(5000);
        JsonNode second = inbound(browser);
        for (String other : others) {
            assertThat(second.path(other + "/camera/video").path("frames").asLong()
                    - first.path(other + "/camera/video").path("frames").asLong())
                    .as("%s: video frames decoded from %s in 5 s (%s then %s)", browser.name(), other, first, second)
                    .isPositive(); // rising: on a loaded machine Chromium's encoders fall to a few frames a second
            assertThat(second.path(other + "/microphone/audio").path("packets").asLong()
                    - first.path(other + "/microphone/audio").path("packets").asLong())
                    .as("%s: audio packets from %s in 5 s (%s then %s)", browser.name(), other, first, second)
                    .isGreaterThan(50);
        }
    }
}
