package io.tribune.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.tribune.sfu.TestSfuNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Simulcast through the real node: a publisher sends three VP8 layers from a 1280x720 fake camera (rids q, h,
 * f), a subscriber first receives a large layer, then asks for at most 320x180 with {@code subscribe}. The
 * received picture must shrink (the node switched layers at a key frame) while the subscriber keeps decoding:
 * no freeze longer than a second, frames decoded rising throughout.
 *
 * <p>Runs under Failsafe in a network namespace with only loopback (src/test/netns-jvm/bin/java).
 */
class SimulcastBrowserIT {

    private static TestSfuNode node;
    private static TestPage page;
    private String room;

    @BeforeAll
    static void start() throws Exception {
        page = TestPage.serve();
        node = new TestSfuNode();
    }

    @AfterAll
    static void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @AfterEach
    void closeBrowsers() throws Exception {
        page.closeBrowsers();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(ChromeDriver browser, String name) {
        return (Map<String, Object>) browser.executeScript("return clients[arguments[0]].summary();", name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> stats(ChromeDriver browser, String name) {
        return (Map<String, Map<String, Object>>) browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "clients[arguments[0]].stats().then(done, e => done({error: {message: String(e)}}));", name);
    }

    private static Object await(ChromeDriver browser, String script, Object... args) {
        return browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Promise.resolve().then(() => " + script + ").then(v => done(v === undefined ? null : v),"
                + " e => done('error: ' + e));", args);
    }

    private static double number(Map<String, Object> entry, String field) {
        Object value = entry == null ? null : entry.get(field);
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static void waitFor(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private void startClient(ChromeDriver browser, String name, Map<String, Object> options) {
        browser.executeScript("startClient(arguments[0], arguments[1], arguments[2], arguments[3]);", name,
                node.signalingUrl(), node.token(name, room, "participant", TestSfuNode.EVERYTHING), options);
    }

    @SuppressWarnings("unchecked")
    private static String camera(ChromeDriver browser, String name) {
        return (String) ((Map<String, Object>) summary(browser, name).get("published")).get("camera");
    }

    @Test
    void aSubscriberAskingForASmallSizeGetsTheLowLayerWithoutAFreezeAndBackUp() throws Exception {
        run("VP8");
    }

    /**
     * Debian's Chromium encodes H.264 with OpenH264 (sender capabilities list it), simulcast included. Software
     * H.264 at 1280x720 on all three layers, plus decoding it, starved the browser on a loaded 2-core machine
     * (one run in two): this one captures 960x540 at 10 fps, still enough for three layers.
     */
    @Test
    void anH264SimulcastPublisherSwitchesLayersToo() throws Exception {
        run("H264");
    }

    /**
     * The node's REMB caps what a publisher sends: with {@code rooms.maxPublishKbps} at 400, Chromium's estimate
     * for a 720p simulcast camera, which otherwise climbs past 1 Mbit/s on loopback within seconds, stays at the
     * cap, and its encoders' targets with it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPublisherStaysUnderTheNodesRembCap() throws Exception {
        try (TestSfuNode capped = new TestSfuNode(ConfigOverride.config("rooms.maxPublishKbps", "400"))) {
            room = "capped";
            ChromeDriver browser = page.open();
            browser.executeScript("startClient(arguments[0], arguments[1], arguments[2], arguments[3]);", "pub",
                    capped.signalingUrl(), capped.token("pub", room, "participant", TestSfuNode.EVERYTHING),
                    Map.of("simulcast", true, "width", 1280, "height", 720, "frameRate", 15));
            waitFor("pub to join", 90_000, () -> "joined".equals(summary(browser, "pub").get("state")));
            double highest = 0;
            double targets = 0;
            long until = System.currentTimeMillis() + 12_000;
            while (System.currentTimeMillis() < until) {
                Map<String, Object> sends = sendStats(browser);
                highest = Math.max(highest, number(sends, "availableOutgoingBitrate"));
                targets = Math.max(targets, sends.values().stream().filter(Map.class::isInstance)
                        .mapToDouble(v -> number((Map<String, Object>) v, "targetBitrate")).sum());
                Thread.sleep(500);
            }
            System.out.printf("REMB cap 400 kbit/s: pub's highest estimate %.0f bit/s, encoders' targets %.0f bit/s;"
                    + " pub sends %s%n", highest, targets, sendStats(browser));
            assertThat(highest).as("pub's send estimate, bit/s").isPositive().isLessThanOrEqualTo(400_000 * 1.05);
            assertThat(targets).as("pub's encoders' targets together, bit/s").isLessThanOrEqualTo(400_000 * 1.05);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sendStats(ChromeDriver browser) {
        return (Map<String, Object>) await(browser, "clients.pub.sendStats()");
    }

    private void run(String codec) throws Exception {
        room = "simulcast-" + codec;
        ChromeDriver browser = page.open();
        try {
            switchDown(browser, codec);
            printFeedback();
        } catch (AssertionError | RuntimeException e) {
            for (String name : List.of("pub", "sub")) {
                System.out.println(name + ": " + summary(browser, name) + "\n  stats " + stats(browser, name));
            }
            System.out.println("pub sends " + await(browser, "clients.pub.sendStats()"));
            printFeedback();
            node.application().rooms().nodeTotals().values().forEach(n -> System.out.println("pipeline " + n));
            throw e;
        }
    }

    private void printFeedback() {
        node.application().rooms().room(room).ifPresent(room -> room.participants().forEach(p ->
                System.out.printf("%s: transport-cc feedback sent %d, rtt %.1f ms, downlink estimate %d bps, "
                                + "layers %s%n", p.id(), p.transportCcFeedbackSent(), p.rttMillis(),
                        p.downlinkEstimateBps(), p.publishedLayers())));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> qualityEvents(ChromeDriver browser) {
        List<Map<String, Object>> events = (List<Map<String, Object>>) summary(browser, "sub").get("events");
        return events.stream().filter(e -> "quality".equals(e.get("type"))).toList();
    }

    /** Frames decoded over the next two seconds. */
    private static double decodedOverTwoSeconds(ChromeDriver browser, String track) throws InterruptedException {
        double before = number(stats(browser, "sub").get(track), "framesDecoded");
        Thread.sleep(2_000);
        return number(stats(browser, "sub").get(track), "framesDecoded") - before;
    }

    private void switchDown(ChromeDriver browser, String codec) throws Exception {
        boolean h264 = codec.equals("H264");
        startClient(browser, "pub", Map.of("simulcast", true, "width", h264 ? 960 : 1280, "height", h264 ? 540 : 720,
                "frameRate", h264 ? 10 : 15, "codec", codec));
        startClient(browser, "sub", Map.of());
        for (String name : List.of("pub", "sub")) {
            waitFor(name + " to join", 90_000, () -> {
                Map<String, Object> summary = summary(browser, name);
                assertThat(summary.get("state")).as("%s: %s", name, summary).isNotEqualTo("error");
                return "joined".equals(summary.get("state"));
            });
        }
        String track = camera(browser, "pub");
        long begin = System.currentTimeMillis();
        // The publisher ramps up on our transport-cc feedback and turns on its upper layers; the subscriber, with
        // no preference and a fresh estimate, gets the largest layer that is flowing.
        waitFor("sub to decode pub's camera above 320 pixels wide, steadily", 60_000, () -> {
            try {
                return number(stats(browser, "sub").get(track), "frameWidth") > 320
                        && decodedOverTwoSeconds(browser, track) >= 10;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Map<String, Object>> large = stats(browser, "sub");
        assertThat(large.get(track).get("codec")).isEqualTo("video/" + codec);
        System.out.printf("sub decodes pub's camera at %.0fx%.0f after %d ms; pub sends %s%n",
                number(large.get(track), "frameWidth"), number(large.get(track), "frameHeight"),
                System.currentTimeMillis() - begin, await(browser, "clients.pub.sendStats()"));

        // Now ask for at most 320x180: the node must switch to the lowest layer at its next key frame.
        Map<String, Object> before = stats(browser, "sub").get(track);
        long askedAt = System.currentTimeMillis();
        assertThat(await(browser, "clients.sub.subscribe(arguments[0], {max_width: 320, max_height: 180})", track))
                .isNull();
        List<Double> decoded = new ArrayList<>();
        long switchedAt = -1;
        while (System.currentTimeMillis() - askedAt < 6_000 || switchedAt < 0) {
            assertThat(System.currentTimeMillis() - askedAt).as("layer switch within 15 s").isLessThan(15_000);
            Map<String, Object> now = stats(browser, "sub").get(track);
            decoded.add(number(now, "framesDecoded"));
            if (switchedAt < 0 && number(now, "frameWidth") > 0 && number(now, "frameWidth") <= 320) {
                switchedAt = System.currentTimeMillis();
            }
            Thread.sleep(250);
        }
        Map<String, Object> after = stats(browser, "sub").get(track);
        double freezes = number(after, "freezeCount") - number(before, "freezeCount");
        double frozenSeconds = number(after, "totalFreezesDuration") - number(before, "totalFreezesDuration");
        System.out.printf("after subscribe(max 320x180): %.0fx%.0f within %d ms; frames decoded %.0f -> %.0f, "
                        + "freezes +%.0f (%.3f s in all)%n", number(after, "frameWidth"), number(after, "frameHeight"),
                switchedAt - askedAt, number(before, "framesDecoded"), number(after, "framesDecoded"), freezes,
                frozenSeconds);
        assertThat(number(after, "frameWidth")).as("received width after asking for 320x180").isLessThanOrEqualTo(320);
        waitFor("a quality event naming the low layer", 5_000, () -> qualityEvents(browser).stream()
                .anyMatch(e -> track.equals(e.get("track_id")) && "low".equals(e.get("layer"))));
        assertThat(frozenSeconds).as("time frozen around the switch").isLessThan(1.0);
        // Decoding never stalls: over every second (4 samples) at least one more frame was decoded.
        for (int i = 4; i < decoded.size(); i++) {
            assertThat(decoded.get(i)).as("frames decoded rise over each second (%s)", decoded)
                    .isGreaterThan(decoded.get(i - 4));
        }

        // Asking for the full size again brings a larger layer back (the estimate allows it on loopback).
        double framesBeforeUp = number(stats(browser, "sub").get(track), "framesDecoded");
        long upAt = System.currentTimeMillis();
        assertThat(await(browser, "clients.sub.subscribe(arguments[0], {max_width: 1280, max_height: 720})", track))
                .isNull();
        waitFor("a larger layer after asking for 1280x720", 15_000, () ->
                number(stats(browser, "sub").get(track), "frameWidth") > 320);
        Map<String, Object> up = stats(browser, "sub").get(track);
        System.out.printf("after subscribe(max 1280x720): %.0fx%.0f within %d ms; freezes +%.0f since the first "
                        + "switch%n", number(up, "frameWidth"), number(up, "frameHeight"),
                System.currentTimeMillis() - upAt, number(up, "freezeCount") - number(after, "freezeCount"));
        assertThat(number(up, "totalFreezesDuration") - number(after, "totalFreezesDuration"))
                .as("time frozen switching up").isLessThan(1.0);
        assertThat(number(up, "framesDecoded")).as("decoding on after switching up").isGreaterThan(framesBeforeUp);
        System.out.println("quality events at sub: " + qualityEvents(browser));
    }
}
