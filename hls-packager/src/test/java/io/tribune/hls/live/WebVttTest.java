package io.tribune.hls.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.hls.testing.WebVttText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WebVttTest {

    private static final Instant PDT = Instant.parse("2026-11-27T10:00:10.000Z");
    /** The segment's first video pts: 10 s on a 90 kHz clock. */
    private static final long MPEG_TS = 900_000;

    private static SubtitleCues.Cue cue(String id, String speaker, String text, String start, String end) {
        return new SubtitleCues.Cue(id, speaker, text, Instant.parse(start), Instant.parse(end));
    }

    @Test
    void emptySegmentIsAHeaderWithTheTimestampMap() {
        String text = new String(WebVtt.segment(PDT, MPEG_TS, List.of()), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n");
    }

    @Test
    void writesCueWithSpeakerAndTimesRelativeToTheSegmentStart() {
        byte[] bytes = WebVtt.segment(PDT, MPEG_TS, List.of(
                cue("p1", "Ada Lovelace", "hello everyone", "2026-11-27T10:00:10.250Z", "2026-11-27T10:00:11.750Z")));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("""
                WEBVTT
                X-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000

                p1
                00:00:00.250 --> 00:00:01.750
                <v Ada Lovelace>hello everyone

                """);
        WebVttText parsed = WebVttText.parse(bytes);
        assertThat(parsed.mediaSeconds(parsed.cue("p1").startMillis())).isEqualTo(10.25);
        assertThat(parsed.mediaSeconds(parsed.cue("p1").endMillis())).isEqualTo(11.75);
    }

    @Test
    void cueThatStartedBeforeTheSegmentMovesTheLocalClockNotTheMediaTime() {
        byte[] bytes = WebVtt.segment(PDT, MPEG_TS, List.of(
                cue("late", null, "an earlier phrase", "2026-11-27T10:00:06.500Z", "2026-11-27T10:00:07.000Z"),
                cue("span", null, "across the boundary", "2026-11-27T10:00:09.000Z", "2026-11-27T10:00:10.500Z")));
        WebVttText parsed = WebVttText.parse(bytes);
        assertThat(parsed.localMillis()).isEqualTo(3500);
        assertThat(parsed.cue("late").startMillis()).isZero();
        assertThat(parsed.mediaSeconds(parsed.cue("late").startMillis())).isEqualTo(6.5);
        assertThat(parsed.mediaSeconds(parsed.cue("span").startMillis())).isEqualTo(9.0);
        assertThat(parsed.mediaSeconds(parsed.cue("span").endMillis())).isEqualTo(10.5);
        assertThat(parsed.cue("late").text()).isEqualTo("an earlier phrase");
    }

    @Test
    void hoursAndSubMillisecondTimes() {
        Instant pdt = Instant.parse("2026-11-27T10:00:00.000Z");
        byte[] bytes = WebVtt.segment(pdt, 0, List.of(
                cue("old", null, "x", "2026-11-27T08:59:58.1239Z", "2026-11-27T10:00:01Z")));
        WebVttText parsed = WebVttText.parse(bytes);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("LOCAL:01:00:01.877");
        assertThat(parsed.mediaSeconds(parsed.cue("old").endMillis())).isEqualTo(1.0);
    }

    @Nested
    class Escaping {

        @Test
        void escapesMarkupInTextAndSpeaker() {
            byte[] bytes = WebVtt.segment(PDT, MPEG_TS, List.of(cue("p1", "R&D <team>",
                    "a < b && c --> d", "2026-11-27T10:00:10Z", "2026-11-27T10:00:11Z")));
            WebVttText.Cue cue = WebVttText.parse(bytes).cue("p1");
            assertThat(cue.text()).isEqualTo("<v R&amp;D &lt;team&gt;>a &lt; b &amp;&amp; c --&gt; d");
        }

        @Test
        void foldsLineBreaksSoACueStaysOneBlock() {
            byte[] bytes = WebVtt.segment(PDT, MPEG_TS, List.of(cue("p1", "Ada\nL", "one\n\ntwo\r\nthree",
                    "2026-11-27T10:00:10Z", "2026-11-27T10:00:11Z"),
                    cue("p2", "  ", "next", "2026-11-27T10:00:10.5Z", "2026-11-27T10:00:11Z")));
            WebVttText parsed = WebVttText.parse(bytes);
            assertThat(parsed.cues()).hasSize(2);
            assertThat(parsed.cue("p1").text()).isEqualTo("<v Ada L>one two three");
            assertThat(parsed.cue("p2").text()).as("a blank speaker is no voice span").isEqualTo("next");
        }

        @Test
        void identifiersCannotBreakTheTimingLine() {
            byte[] bytes = WebVtt.segment(PDT, MPEG_TS, List.of(cue("a-->b\nc", null, "x",
                    "2026-11-27T10:00:10Z", "2026-11-27T10:00:11Z")));
            assertThat(WebVttText.parse(bytes).cues()).extracting(WebVttText.Cue::id).containsExactly("a--_b_c");
        }
    }

    @Test
    void mpegTsFromOtherTimescales() {
        assertThat(WebVtt.mpegTs(48_000, 48_000)).isEqualTo(90_000);
        assertThat(WebVtt.mpegTs(1_001, 30_000)).isEqualTo(3_003);
        assertThat(WebVtt.mpegTs(123_456_789_012L, 90_000)).isEqualTo(123_456_789_012L);
    }
}
