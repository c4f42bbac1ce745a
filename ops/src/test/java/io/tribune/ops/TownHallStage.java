package io.tribune.ops;

import io.tribune.ops.ApiCalls.Account;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tribune.ops.Browser.button;
import static io.tribune.ops.MeetingPages.CONNECTED;
import static io.tribune.ops.MeetingPages.MEDIA_CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The town-hall stage end to end on {@code tribune up}: a host in headless Chromium (fake camera and microphone)
 * joins the town hall in the web client and presses Start broadcast; the api-server announces it in Redis, the
 * transcoder asks the SFU node for the room's RTP egress, composes it ({@code RtpStageInput}) and feeds the
 * packager; an audience member's Chromium on the watch page plays it with hls.js: the video's time advances for
 * 30 s with no stall ({@code waiting} events; a window spoiled by a stall is reported and another one starts, for up
 * to 150 s, since other tests' load can starve a process on two shared cores for longer than a low-latency player's
 * buffer), and a rung's segments decode with ffmpeg without an error. Stop broadcast ends the media playlist
 * (EXT-X-ENDLIST). A two-rung ladder ({@code TRIBUNE_LADDER}) and a 640x360 fake camera fit two cores.
 * Screenshots go to {@code target/screenshots/town-hall-stage/}. Run by {@link BrowserJourneysIT}.
 */
final class TownHallStage {

    private static final Path SHOTS = Path.of("target", "screenshots", "town-hall-stage");
    /** Two low rungs fit two cores (DECISIONS: media tests may configure a smaller ladder). */
    static final String LADDER = "360p:640x360:600,180p:320x180:250";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the player does in the measured window: stalls, level switches, with the buffer ahead and the rate. */
    private static final String PLAYER_LOG = """
            const v = document.querySelector('video');
            window.stageLog = [];
            const note = (e) => window.stageLog.push({ e, t: Math.round(v.currentTime * 10) / 10,
              ahead: v.buffered.length ? Math.round((v.buffered.end(v.buffered.length - 1) - v.currentTime) * 100) / 100
                : 0, level: window.tribuneWatch.hls ? window.tribuneWatch.hls.currentLevel : null,
              rate: v.playbackRate, at: Date.now() % 100000 });
            ['waiting', 'stalled', 'ratechange'].forEach((e) => v.addEventListener(e, () => note(e)));
            const hls = window.tribuneWatch.hls;
            if (hls) hls.on('hlsLevelSwitched', () => note('level'));
            """;

    private final Map<String, String> env;
    private final Path dataDir;
    private final String base;
    private final ApiCalls api;

    private TownHallStage(TribuneUp tribune) {
        this.env = tribune.env();
        this.dataDir = tribune.dataDir();
        this.base = tribune.baseUrl();
        this.api = new ApiCalls(base);
    }

    /** Runs on a {@code tribune up} whose ladder is {@link #LADDER}. */
    static void run(TribuneUp tribune) throws Exception {
        new TownHallStage(tribune).broadcast();
    }

    private void broadcast() throws Exception {
        Settings settings = Settings.load(null, env);
        Account host = api.account("host", "stage.test");
        api.makeHost(host, Secrets.ADMIN_EMAIL, Secrets.adminPassword(settings));
        host = api.login(host);
        Account viewer = api.account("viewer", "stage.test");
        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Map<String, Object> meeting = new LinkedHashMap<>();
        meeting.put("title", "Stage town hall");
        meeting.put("kind", "town_hall");
        meeting.put("start_time", start.toString());
        meeting.put("end_time", start.plus(Duration.ofHours(1)).toString());
        meeting.put("host_id", host.id());
        meeting.put("participants", List.of(viewer.id()));
        meeting.put("allow_overlap", true);
        meeting.put("settings", Map.of("lobby", false, "join_before_host", true));
        String meetingId = api.call("POST", "/api/v1/meetings", host.token(), meeting, 201).path("meeting_id").asText();

        // The fake camera plays a 640x360 file: the 720p pattern Chromium makes up would cost the two cores a 720p
        // simulcast encode in the presenter and a 720p decode in the transcoder, for a 360p top rung.
        Path camera = dataDir.resolve("camera.y4m");
        run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=640x360:rate=15", "-t", "4", "-pix_fmt", "yuv420p", camera.toString()));
        try (Browser presenter = Browser.open("presenter", SHOTS, 1100, 800,
                "--use-file-for-fake-video-capture=" + camera);
             Browser audience = Browser.open("audience", SHOTS, 900, 700)) {
            try {
                // The host joins the stage with a camera and a microphone; nothing is broadcast yet.
                signIn(presenter, host);
                presenter.go(base + "/app/#/join/" + meetingId);
                presenter.click(button("Join meeting")).sees(CONNECTED).sees(MEDIA_CONNECTED);
                presenter.sees(By.cssSelector(".broadcast-state[data-broadcast=idle]"));
                presenter.snap("on-stage");

                presenter.click(button("Start broadcast"));
                presenter.sees(By.cssSelector(".broadcast-state[data-broadcast=live]")).sees(button("Stop broadcast"));
                presenter.snap("live");

                signIn(audience, viewer);
                audience.go(base + "/app/#/join/" + meetingId);
                audience.click(button("Join meeting"));
                audience.find(By.cssSelector("video[aria-label='Town hall broadcast']"));
                double first = playedPast(audience, 2.0, Duration.ofSeconds(120));
                audience.snap("playing");

                // 30 s of playback: the time advances at every look (2 s apart) and the player never waits for data
                // ('waiting' events). Two shared cores under other tests' load can starve a process for a second or
                // two, and a low-latency player has about a second of buffer: a window with a stall is reported and
                // a fresh one starts, for up to 150 s. A stream that is slower than real time never gets there.
                audience.script(PLAYER_LOG);
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
                List<String> spoiled = new ArrayList<>();
                String window = null;
                while (window == null) {
                    long stallsBefore = stalls(audience);
                    double from = time(audience);
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    double last = from;
                    String problem = null;
                    while (problem == null && System.nanoTime() < until) {
                        Thread.sleep(2_000);
                        double now = time(audience);
                        if (now <= last) {
                            problem = String.format("time stood at %.2f s", now);
                        } else if (stalls(audience) != stallsBefore) {
                            problem = String.format("a stall at about %.2f s", now);
                        }
                        last = now;
                    }
                    if (problem == null && last - from < 25.0) {
                        problem = String.format("only %.1f s played in 30 s", last - from);
                    }
                    if (problem == null) {
                        window = String.format("%.1f s -> %.1f s", from, last);
                    } else {
                        spoiled.add(problem);
                        System.out.println("audience: window spoiled (" + problem + "); player: "
                                + audience.script("return JSON.stringify(window.stageLog.slice(-8))") + "; load "
                                + Files.readString(Path.of("/proc/loadavg")).trim());
                        assertThat(System.nanoTime()).as("30 s without a stall within 150 s; spoiled: %s", spoiled)
                                .isLessThan(giveUp - TimeUnit.SECONDS.toNanos(30));
                    }
                }
                System.out.printf("audience played %.1f s first, then 30 s without a stall (%s) after %d spoiled "
                        + "windows %s%n", first, window, spoiled.size(), spoiled);

                // A rung's latest segments decode, as the audience's player got them (signed cookies).
                JsonNode pass = api.call("GET", "/api/v1/meetings/" + meetingId + "/broadcast/playback", viewer.token(),
                        null, 200);
                String cookies = cookies(pass);
                String playlist = pass.path("hls_url").asText().replace("master.m3u8", "180p/index.m3u8");
                Path file = downloadSegments(playlist, cookies, dataDir.resolve("180p.mp4"));
                String errors = run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(),
                        "-f", "null", "-"));
                assertThat(errors).as("ffmpeg decoding the 180p rung").isEmpty();
                String probe = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                        "stream=codec_name,width,height", "-of", "csv=p=0", file.toString()));
                assertThat(probe.trim()).isEqualTo("h264,320,180");

                // Stop broadcast: the media playlist ends, and the audience is told.
                presenter.click(button("Stop broadcast"));
                presenter.sees(By.cssSelector(".broadcast-state[data-broadcast=stopped]"));
                String ended = until(Duration.ofSeconds(60), () -> get(playlist, cookies),
                        body -> body.contains("#EXT-X-ENDLIST"));
                assertThat(ended).contains("#EXT-X-ENDLIST");
                audience.sees("The broadcast has ended");
                audience.snap("ended");
                presenter.snap("stopped");
            } catch (Exception | AssertionError e) {
                System.out.println("audience: " + audience.script("const w = window.tribuneWatch; return w ? "
                        + "JSON.stringify({live: w.live, pass: Boolean(w.pass), hls: Boolean(w.hls), "
                        + "t: document.querySelector('video').currentTime, stalls: w.stalls}) : 'no page'"));
                System.out.println("presenter media log: " + presenter.script(
                        "return JSON.stringify(window.tribuneRoom && window.tribuneRoom.mediaLog)"));
                System.out.println("player: " + audience.script("return JSON.stringify(window.stageLog)"));
                System.out.println("transcoder health: " + get("http://127.0.0.1:"
                        + env.get("TRIBUNE_TRANSCODER_ADMIN_PORT") + "/healthcheck", null));
                Path log = Settings.load(null, env).logDir().resolve("transcoder.log");
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
                System.out.println("load: " + Files.readString(Path.of("/proc/loadavg")).trim());
                MeetingPages.reportFailure(List.of(presenter, audience));
                throw e;
            }
        }
    }

    // ---- the audience's player

    private static double time(Browser browser) {
        return ((Number) browser.script("return document.querySelector('video').currentTime")).doubleValue();
    }

    private static long stalls(Browser browser) {
        return ((Number) browser.script("return window.tribuneWatch.stalls")).longValue();
    }

    private static double playedPast(Browser browser, double seconds, Duration timeout) throws InterruptedException {
        Number time = browser.until(timeout, b -> (Number) b.script(
                "return document.querySelector('video').currentTime"), t -> t.doubleValue() > seconds);
        assertThat(time.doubleValue()).as("%s video time", browser.name()).isGreaterThan(seconds);
        return time.doubleValue();
    }

    private void signIn(Browser browser, Account account) throws IOException {
        browser.go(base + "/app/");
        browser.script("sessionStorage.setItem('tribune.session', arguments[0])", JSON.writeValueAsString(Map.of(
                "token", account.token(), "refresh", account.refresh(), "userId", account.id(),
                "expiresAt", System.currentTimeMillis() + 14 * 60_000)));
    }

    // ---- the origin

    private static String cookies(JsonNode pass) {
        StringBuilder cookies = new StringBuilder();
        pass.path("cookies").properties().forEach(e -> cookies.append(cookies.isEmpty() ? "" : "; ")
                .append(e.getKey()).append('=').append(e.getValue().asText()));
        return cookies.toString();
    }

    /** The init section and the last two whole segments of a media playlist, in one fMP4 file. */
    private static Path downloadSegments(String playlistUrl, String cookies, Path file) throws Exception {
        String playlist = get(playlistUrl, cookies);
        URI base = URI.create(playlistUrl);
        String init = null;
        List<String> segments = new ArrayList<>();
        String[] lines = playlist.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("#EXT-X-MAP:")) {
                init = line.replaceFirst(".*URI=\"([^\"]+)\".*", "$1");
            } else if (line.startsWith("#EXTINF:")) {
                for (int j = i + 1; j < lines.length; j++) {
                    if (!lines[j].startsWith("#")) {
                        segments.add(lines[j].trim());
                        break;
                    }
                }
            }
        }
        assertThat(init).as("EXT-X-MAP in %s", playlist).isNotNull();
        assertThat(segments).as("segments in %s", playlist).hasSizeGreaterThanOrEqualTo(2);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(getBytes(base.resolve(init).toString(), cookies));
            for (String segment : segments.subList(segments.size() - 2, segments.size())) {
                out.write(getBytes(base.resolve(segment).toString(), cookies));
            }
        }
        return file;
    }

    private static String get(String url, String cookies) throws Exception {
        return new String(getBytes(url, cookies), StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(String url, String cookies) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }

    private interface Probe {
        String get() throws Exception;
    }

    private static String until(Duration timeout, Probe probe, java.util.function.Predicate<String> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = probe.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            last = probe.get();
        }
        return last;
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
