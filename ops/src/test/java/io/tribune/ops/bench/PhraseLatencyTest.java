package io.tribune.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.ops.bench.PhraseLatency.Final;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PhraseLatencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;

    /** Two phrases: 0.5-2.5 s and 4.0-6.0 s of the track; their ends sent at 10,000 ms and 13,500 ms (nanoTime). */
    private static final List<Long> STARTS = List.of(500L, 4_000L);
    private static final List<Long> ENDS = List.of(2_500L, 6_000L);
    private static final List<Long> SENT = List.of(10_000 * MS, 13_500 * MS);

    @Nested
    class Latencies {

        @Test
        void timesEachPhraseToItsFinal() {
            double[] latencies = PhraseLatency.latencies(STARTS, ENDS, SENT, List.of(
                    new Final("t-0", "the meeting", 450, 2_520, 10_700 * MS),
                    new Final("t-1", "please share", 3_900, 6_050, 14_400 * MS)));

            assertThat(latencies[0]).isCloseTo(0.7, within(1e-9));
            assertThat(latencies[1]).isCloseTo(0.9, within(1e-9));
        }

        @Test
        void waitsForTheLastPartOfASplitPhrase() {
            double[] latencies = PhraseLatency.latencies(STARTS, ENDS, SENT, List.of(
                    new Final("t-0", "the", 500, 1_200, 10_100 * MS),
                    new Final("t-1", "meeting", 1_400, 2_500, 11_200 * MS)));

            assertThat(latencies[0]).isCloseTo(1.2, within(1e-9));
        }

        @Test
        void countsFinalsWithinTheSlackOfAPhraseButNotBeyondIt() {
            double[] latencies = PhraseLatency.latencies(STARTS, ENDS, SENT, List.of(
                    new Final("t-0", "meeting", 2_700, 3_600, 10_800 * MS),
                    new Final("t-1", "please share", 4_100, 6_250, 14_300 * MS),
                    new Final("t-2", "later", 6_400, 7_000, 20_000 * MS)));

            assertThat(latencies[0]).as("200 ms after the phrase's end: its").isCloseTo(0.8, within(1e-9));
            assertThat(latencies[1]).as("the final 400 ms after its end is not its").isCloseTo(0.8, within(1e-9));
        }

        @Test
        void marksPhrasesWithoutAFinalOrWithoutASentEnd() {
            double[] latencies = PhraseLatency.latencies(STARTS, ENDS, List.of(10_000 * MS), List.of(
                    new Final("t-1", "please share", 4_000, 6_000, 14_000 * MS)));

            assertThat(latencies[0]).as("no final").isNaN();
            assertThat(latencies[1]).as("its end was never sent").isNaN();
        }
    }

    @Nested
    class Transcript {

        @Test
        void keepsTheLastFinalOfEachPhraseInOrderOfStart() {
            String text = PhraseLatency.transcript(List.of(
                    new Final("t-1", "share your", 4_000, 6_000, 3 * MS),
                    new Final("t-0", "the meeting", 500, 2_500, 1 * MS),
                    new Final("t-1", "please share your screen", 4_000, 6_000, 4 * MS),
                    new Final("t-2", "", 7_000, 7_100, 5 * MS)));

            assertThat(text).isEqualTo("the meeting please share your screen");
        }
    }

    @Nested
    class FromChannel {

        private final long firstArrival = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();

        private JsonNode caption(String phraseId, boolean isFinal, String start, String end) throws Exception {
            return JSON.readTree("""
                    {"type":"caption","participant_id":"u-1","name":"Ada","phrase_id":"%s","text":"hello world",\
                    "final":%s,"start":"%s","end":"%s"}""".formatted(phraseId, isFinal, start, end));
        }

        @Test
        void turnsWallClockTimesIntoOffsetsFromTheFirstPacket() throws Exception {
            Final f = PhraseLatency.fromChannel(caption("bench-1-0", true, "2026-11-27T10:00:00.480Z",
                    "2026-11-27T10:00:02.510Z"), "bench-1", firstArrival, 42);

            assertThat(f).isEqualTo(new Final("bench-1-0", "hello world", 480, 2_510, 42));
        }

        @Test
        void acceptsThePhraseIdsOfATranscriberThatBeganMidTrack() throws Exception {
            assertThat(PhraseLatency.fromChannel(caption("bench-1-1764237600000-3", true,
                    "2026-11-27T10:00:01Z", "2026-11-27T10:00:02Z"), "bench-1", firstArrival, 0)).isNotNull();
        }

        @Test
        void ignoresPartialsOtherTracksAndOtherMessages() throws Exception {
            String start = "2026-11-27T10:00:01Z";
            String end = "2026-11-27T10:00:02Z";
            assertThat(PhraseLatency.fromChannel(caption("bench-1-0", false, start, end), "bench-1", firstArrival, 0))
                    .as("partial").isNull();
            assertThat(PhraseLatency.fromChannel(caption("bench-10-0", true, start, end), "bench-1", firstArrival,
                    0)).as("another track whose id begins the same").isNull();
            assertThat(PhraseLatency.fromChannel(caption("bench-1-0", true, "yesterday", end), "bench-1",
                    firstArrival, 0)).as("unreadable time").isNull();
            assertThat(PhraseLatency.fromChannel(JSON.readTree("{\"type\":\"pong\"}"), "bench-1", firstArrival, 0))
                    .isNull();
        }
    }
}
