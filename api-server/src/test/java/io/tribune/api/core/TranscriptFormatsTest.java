package io.tribune.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TranscriptFormatsTest {

    private static final Instant ORIGIN = FixedTranscript.ORIGIN;

    /** A cue read back from a file: number, times in milliseconds, and its text line. */
    record Cue(int number, long start, long end, String text) {
    }

    private static final Pattern VTT_TIMING = Pattern.compile(
            "^(\\d{2,}):([0-5]\\d):([0-5]\\d)\\.(\\d{3}) --> (\\d{2,}):([0-5]\\d):([0-5]\\d)\\.(\\d{3})$");
    private static final Pattern SRT_TIMING = Pattern.compile(
            "^(\\d{2,}):([0-5]\\d):([0-5]\\d),(\\d{3}) --> (\\d{2,}):([0-5]\\d):([0-5]\\d),(\\d{3})$");

    /** Reads cue blocks (number, timing, one text line) as a player would, strictly. */
    static List<Cue> parse(String body, Pattern timing) {
        List<Cue> cues = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank() || block.equals("WEBVTT")) {
                continue;
            }
            String[] lines = block.split("\n");
            assertThat(lines).as(block).hasSize(3);
            Matcher m = timing.matcher(lines[1]);
            assertThat(m.matches()).as(lines[1]).isTrue();
            cues.add(new Cue(Integer.parseInt(lines[0]), millis(m, 1), millis(m, 5), lines[2]));
        }
        return cues;
    }

    private static long millis(Matcher m, int group) {
        return Long.parseLong(m.group(group)) * 3_600_000 + Long.parseLong(m.group(group + 1)) * 60_000
                + Long.parseLong(m.group(group + 2)) * 1000 + Long.parseLong(m.group(group + 3));
    }

    private static TranscriptSegment segment(long id, String name, String text, long startMs, long endMs) {
        return new TranscriptSegment(id, "m", "p" + id, "u" + id, name, text, ORIGIN.plusMillis(startMs),
                ORIGIN.plusMillis(endMs));
    }

    @Nested
    class WebVtt {

        @Test
        void writesEveryPhraseAsACueInOrderWithItsSpeakerAsAVoice() {
            List<TranscriptSegment> segments = FixedTranscript.segments();
            String vtt = TranscriptFormats.webVtt(segments, ORIGIN);

            assertThat(vtt).startsWith("WEBVTT\n\n");
            List<Cue> cues = parse(vtt, VTT_TIMING);
            assertThat(cues).hasSize(segments.size());
            for (int i = 0; i < cues.size(); i++) {
                TranscriptSegment s = segments.get(i);
                assertThat(cues.get(i).number()).isEqualTo(i + 1);
                assertThat(cues.get(i).start()).isEqualTo(s.offsetMillis(ORIGIN));
                assertThat(cues.get(i).end()).isEqualTo(s.endOffsetMillis(ORIGIN));
                assertThat(cues.get(i).text()).isEqualTo("<v " + s.name() + ">" + s.text());
            }
            assertThat(cues).extracting(Cue::start).isSorted();
        }

        @Test
        void writesHoursAndMillisecondsExactly() {
            String vtt = TranscriptFormats.webVtt(List.of(segment(1, "Ann", "late", 3_723_004, 3_725_999)), ORIGIN);

            assertThat(vtt).contains("01:02:03.004 --> 01:02:05.999\n<v Ann>late\n");
        }

        @Test
        void escapesMarkupSoNoCueEndsEarlyOrOpensATag() {
            String vtt = TranscriptFormats.webVtt(List.of(segment(1, "Eve <b>", "a --> b & <i>c</i>", 0, 1000)),
                    ORIGIN);

            assertThat(parse(vtt, VTT_TIMING)).singleElement().extracting(Cue::text)
                    .isEqualTo("<v Eve &lt;b&gt;>a --&gt; b &amp; &lt;i&gt;c&lt;/i&gt;");
        }

        @Test
        void startsAPhraseBegunBeforeTheRecordingAtZeroAndNeverWritesAnEmptyCue() {
            String vtt = TranscriptFormats.webVtt(List.of(segment(1, "Ann", "early", -2000, 1500),
                    segment(2, "Bob", "instant", 2000, 2000)), ORIGIN);

            List<Cue> cues = parse(vtt, VTT_TIMING);
            assertThat(cues.get(0).start()).isZero();
            assertThat(cues.get(0).end()).isEqualTo(1500);
            assertThat(cues.get(1).end()).isGreaterThan(cues.get(1).start());
        }

        @Test
        void namesAnUnknownSpeakerSpeaker() {
            String vtt = TranscriptFormats.webVtt(List.of(segment(1, null, "hello", 0, 1000)), ORIGIN);

            assertThat(vtt).contains("<v Speaker>hello");
        }
    }

    @Nested
    class SubRip {

        @Test
        void writesNumberedCuesWithCommaMillisecondsAndTheSpeakerBeforeTheText() {
            List<TranscriptSegment> segments = FixedTranscript.segments();
            List<Cue> cues = parse(TranscriptFormats.srt(segments, ORIGIN), SRT_TIMING);

            assertThat(cues).hasSize(segments.size());
            for (int i = 0; i < cues.size(); i++) {
                TranscriptSegment s = segments.get(i);
                assertThat(cues.get(i).number()).isEqualTo(i + 1);
                assertThat(cues.get(i).start()).isEqualTo(s.offsetMillis(ORIGIN));
                assertThat(cues.get(i).end()).isEqualTo(s.endOffsetMillis(ORIGIN));
                assertThat(cues.get(i).text()).isEqualTo(s.name() + ": " + s.text());
            }
        }

        @Test
        void keepsALineBreakInANameFromEndingTheCue() {
            String srt = TranscriptFormats.srt(List.of(segment(1, "Ann\n\nLee", "hi", 0, 1000)), ORIGIN);

            assertThat(parse(srt, SRT_TIMING)).singleElement().extracting(Cue::text).isEqualTo("Ann Lee: hi");
        }
    }

    @Test
    void writesPlainTextOneLinePerPhraseWithItsTime() {
        String text = TranscriptFormats.text(List.of(segment(1, "Ann", "hello", 5_000, 6_000),
                segment(2, "Bob", "later", 3_725_000, 3_726_000)), ORIGIN);

        assertThat(text).isEqualTo("[0:00:05] Ann: hello\n[1:02:05] Bob: later\n");
    }

    @Test
    void acceptsOnlyTheFourFormats() {
        assertThat(TranscriptFormats.Format.parse(null)).isEqualTo(TranscriptFormats.Format.JSON);
        assertThat(TranscriptFormats.Format.parse("VTT")).isEqualTo(TranscriptFormats.Format.VTT);
        assertThat(TranscriptFormats.Format.parse("srt")).isEqualTo(TranscriptFormats.Format.SRT);
        assertThat(TranscriptFormats.Format.parse("txt")).isEqualTo(TranscriptFormats.Format.TXT);
        assertThat(TranscriptFormats.Format.parse("html")).isNull();
    }
}
