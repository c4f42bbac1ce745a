package io.tribune.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.TestSfuNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Active speaker and last-N with real browsers and real audio levels: ann and ben each run in a Chromium whose
 * fake microphone plays a WAV file made here (ann talks in the first 4 s of every 12, ben from 6 s to 10 s);
 * cat, without a microphone, watches. Cat must hear {@code active_speaker} follow whoever talks (checked against
 * each talker's own microphone level, sampled in their page on the same clock), never flapping and never naming a
 * silent participant; with {@code last_n} 1 she must decode only the dominant speaker's camera.
 *
 * <p>Runs under Failsafe in a network namespace with only loopback (src/test/netns-jvm/bin/java).
 */
class ActiveSpeakerBrowserIT {

    private static final long OBSERVE_MILLIS = 36_000;
    private static TestSfuNode node;
    private static TestPage page;
    private static Path files;

    @BeforeAll
    static void start() throws Exception {
        page = TestPage.serve();
        node = new TestSfuNode();
        files = Files.createTempDirectory("tribune-speakers-");
    }

    @AfterAll
    static void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        if (node != null) {
            node.close();
        }
        if (files != null) {
            try (var walk = Files.walk(files)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ChromeDriver open(Path wav) throws IOException {
        return page.open("--use-file-for-fake-audio-capture=" + wav);
    }

    private static void startClient(ChromeDriver browser, String name, Map<String, Object> options) {
        browser.executeScript("startClient(arguments[0], arguments[1], arguments[2], arguments[3]);", name,
                node.signalingUrl(), node.token(name, "speakers", "participant", TestSfuNode.EVERYTHING), options);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(ChromeDriver browser, String name) {
        return (Map<String, Object>) browser.executeScript("return clients[arguments[0]].summary();", name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> stats(ChromeDriver browser, String name) {
        return (Map<String, Map<String, Object>>) browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "clients[arguments[0]].stats().then(done, e => done({}));", name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(ChromeDriver browser, String name, String type) {
        List<Map<String, Object>> events = (List<Map<String, Object>>) summary(browser, name).get("events");
        return events.stream().filter(e -> type.equals(e.get("type"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<List<Number>> levels(ChromeDriver browser, String name) {
        return (List<List<Number>>) browser.executeScript("return clients[arguments[0]].levels;", name);
    }

    private static long number(Map<String, Object> entry, String field) {
        Object value = entry == null ? null : entry.get(field);
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static void waitFor(String what, long millis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The camera track id a client receives from {@code publisher}, or null. */
    private static String cameraFrom(Map<String, Map<String, Object>> stats, String publisher) {
        return stats.entrySet().stream().filter(e -> publisher.equals(e.getValue().get("participantId"))
                && "camera".equals(e.getValue().get("source"))).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** The peak microphone level a talker's page sampled in [from, to) (wall clock ms). */
    private static double peakLevel(List<List<Number>> levels, long from, long to) {
        return levels.stream().filter(s -> s.get(0).longValue() >= from && s.get(0).longValue() < to)
                .mapToDouble(s -> s.get(1).doubleValue()).max().orElse(0);
    }

    private record Sample(long at, long annFrames, long benFrames) {
    }

    @Test
    void theActiveSpeakerFollowsWhoeverTalksAndLastNOneShowsOnlyTheirCamera() throws Exception {
        Path annWav = SpeechWav.write(files.resolve("ann.wav"), 12, 0, 4);
        Path benWav = SpeechWav.write(files.resolve("ben.wav"), 12, 6, 10);
        ChromeDriver first = open(annWav);
        ChromeDriver second = open(benWav);
        try {
            startClient(first, "cat", Map.of("audio", false));
            waitFor("cat to join", 30_000, () -> "joined".equals(summary(first, "cat").get("state")));
            // Each file starts when its microphone opens: start both talkers together.
            startClient(first, "ann", Map.of("rawAudio", true));
            startClient(second, "ben", Map.of("rawAudio", true));
            for (ChromeDriver browser : List.of(first, second)) {
                String name = browser == first ? "ann" : "ben";
                waitFor(name + " to join", 30_000, () -> {
                    Object state = summary(browser, name).get("state");
                    assertThat(state).as("%s: %s", name, summary(browser, name)).isNotEqualTo("error");
                    return "joined".equals(state);
                });
                browser.executeScript("clients[arguments[0]].sampleLevels();", name);
            }
            waitFor("cat to decode both cameras", 60_000, () -> {
                Map<String, Map<String, Object>> stats = stats(first, "cat");
                String ann = cameraFrom(stats, "ann");
                String ben = cameraFrom(stats, "ben");
                return ann != null && ben != null && number(stats.get(ann), "framesDecoded") > 0
                        && number(stats.get(ben), "framesDecoded") > 0;
            });
            first.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "clients.cat.setLastN(1).then(() => done(null), e => done(String(e)));");

            // Watch for three 12 s cycles: cat's decoded frames of each camera every 500 ms.
            Map<String, Map<String, Object>> initial = stats(first, "cat");
            String annCamera = cameraFrom(initial, "ann");
            String benCamera = cameraFrom(initial, "ben");
            long begin = System.currentTimeMillis();
            List<Sample> samples = new ArrayList<>();
            while (System.currentTimeMillis() - begin < OBSERVE_MILLIS) {
                Map<String, Map<String, Object>> now = stats(first, "cat");
                samples.add(new Sample(System.currentTimeMillis(), number(now.get(annCamera), "framesDecoded"),
                        number(now.get(benCamera), "framesDecoded")));
                Thread.sleep(500);
            }

            List<Map<String, Object>> speakers = events(first, "cat", "active_speaker");
            List<List<Number>> annLevels = levels(first, "ann");
            List<List<Number>> benLevels = levels(second, "ben");
            // Levels are sampled from when each talker had joined; earlier events cannot be checked against them.
            long sampledFrom = Math.max(annLevels.isEmpty() ? Long.MAX_VALUE : annLevels.get(0).get(0).longValue(),
                    benLevels.isEmpty() ? Long.MAX_VALUE : benLevels.get(0).get(0).longValue()) + 1_500;
            List<String> order = new ArrayList<>();
            long previous = 0;
            for (Map<String, Object> event : speakers) {
                String who = (String) event.get("participant_id");
                long at = ((Number) event.get("wallclock")).longValue();
                double annPeak = peakLevel(annLevels, at - 1_500, at);
                double benPeak = peakLevel(benLevels, at - 1_500, at);
                System.out.printf("active_speaker %s at +%d ms (ann's mic peaked %.3f and ben's %.3f in the 1.5 s "
                        + "before; %s had been talking for %d ms)%n", who, at - begin, annPeak, benPeak, who,
                        talkingFor(who.equals("ann") ? annLevels : benLevels, at));
                order.add(who);
                assertThat(who).as("only talkers can be dominant").isIn("ann", "ben");
                if (at >= sampledFrom) {
                    // Whoever became dominant was talking just before.
                    assertThat(who.equals("ann") ? annPeak : benPeak)
                            .as("%s's level before %s became dominant", who, who).isGreaterThan(0.02);
                }
                assertThat(at - previous).as("no flapping").isGreaterThanOrEqualTo(900);
                previous = at;
            }
            System.out.printf("cat heard active_speaker %s; %s speaking events; %d track_paused, %d track_resumed%n",
                    order, summary(first, "cat").get("speakingEvents"), events(first, "cat", "track_paused").size(),
                    events(first, "cat", "track_resumed").size());
            long changesWhileWatching = speakers.stream()
                    .filter(e -> ((Number) e.get("wallclock")).longValue() >= begin).count();
            assertThat(order).as("both talkers were dominant in turn").contains("ann", "ben");
            assertThat(changesWhileWatching).as("changes in three cycles of two turns").isBetween(3L, 8L);
            assertThat(events(first, "cat", "track_paused")).as("last_n paused the other camera")
                    .anyMatch(e -> "last_n".equals(e.get("reason")));
            assertThat(events(first, "cat", "track_resumed")).isNotEmpty();

            // last_n 1: in every 2 s stretch well inside one speaker's turn, only that speaker's camera decodes.
            int checkedAnn = 0;
            int checkedBen = 0;
            for (int i = 0; i < samples.size(); i++) {
                Sample from = samples.get(i);
                // The first sample 2 s on (by the clock: on a loaded machine a stats call takes a while).
                Sample to = samples.stream().filter(x -> x.at() >= from.at() + 2_000).findFirst().orElse(null);
                if (to == null) {
                    break;
                }
                // 1.5 s into a turn, the new speaker's camera has resumed (a key frame asked for at the switch).
                String dominantFrom = dominantAt(speakers, from.at() - 1_500);
                String dominantTo = dominantAt(speakers, to.at());
                if (dominantFrom == null || !dominantFrom.equals(dominantTo)
                        || !dominantFrom.equals(dominantAt(speakers, from.at()))) {
                    continue;
                }
                long annDecoded = to.annFrames() - from.annFrames();
                long benDecoded = to.benFrames() - from.benFrames();
                if (dominantFrom.equals("ann")) {
                    checkedAnn++;
                    assertThat(annDecoded).as("ann dominant at +%d ms: her camera decodes", from.at() - begin)
                            .isGreaterThanOrEqualTo(5);
                    assertThat(benDecoded).as("ann dominant at +%d ms: ben's camera paused", from.at() - begin)
                            .isLessThanOrEqualTo(1);
                } else {
                    checkedBen++;
                    assertThat(benDecoded).as("ben dominant at +%d ms: his camera decodes", from.at() - begin)
                            .isGreaterThanOrEqualTo(5);
                    assertThat(annDecoded).as("ben dominant at +%d ms: ann's camera paused", from.at() - begin)
                            .isLessThanOrEqualTo(1);
                }
            }
            System.out.printf("last_n 1 checked over %d stretches with ann dominant and %d with ben%n", checkedAnn,
                    checkedBen);
            assertThat(checkedAnn).isPositive();
            assertThat(checkedBen).isPositive();
        } finally {
            first.quit();
            second.quit();
        }
    }

    /** How long the talker's microphone had been above silence without a break at {@code at} (ms). */
    private static long talkingFor(List<List<Number>> levels, long at) {
        long onset = at;
        for (int i = levels.size() - 1; i >= 0; i--) {
            long t = levels.get(i).get(0).longValue();
            if (t > at) {
                continue;
            }
            if (levels.get(i).get(1).doubleValue() <= 0.02) {
                break;
            }
            onset = t;
        }
        return at - onset;
    }

    /** The dominant speaker cat knew of at {@code at} (wall clock ms), or null. */
    private static String dominantAt(List<Map<String, Object>> speakers, long at) {
        String dominant = null;
        for (Map<String, Object> event : speakers) {
            if (((Number) event.get("wallclock")).longValue() <= at) {
                dominant = (String) event.get("participant_id");
            }
        }
        return dominant;
    }
}
