package io.tribune.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CaptionEventsTest {

    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    private static CaptionEvents.Caption caption(String meetingId, String phraseId, String text, Instant start,
                                                 Instant end) {
        return new CaptionEvents.Caption(meetingId, "p1", "Ada", "t1", phraseId, text, true, 0, 1000, start, end);
    }

    @Test
    void aWholeCaptionCanBeShownLive() {
        assertThat(CaptionEvents.liveProblem(caption("m1", "ph1", "hello", START, START.plusSeconds(1)))).isNull();
        assertThat(CaptionEvents.liveProblem(caption("m1", "ph1", "", START, START)))
                .as("an empty final (silence) is for the consumer to skip, not malformed").isNull();
        assertThat(CaptionEvents.liveProblem(caption("m1", "ph1", "x".repeat(CaptionEvents.MAX_LIVE_TEXT_CHARS),
                START, START))).isNull();
    }

    @Test
    void saysWhatIsWrongWithAMalformedOne() {
        Instant end = START.plusSeconds(1);
        assertThat(CaptionEvents.liveProblem(caption(" ", "ph1", "hi", START, end))).isEqualTo("has no meeting id");
        assertThat(CaptionEvents.liveProblem(caption("m1", null, "hi", START, end))).isEqualTo("has no phrase id");
        assertThat(CaptionEvents.liveProblem(caption("m1", "ph1", null, START, end))).isEqualTo("has no text");
        assertThat(CaptionEvents.liveProblem(caption("m1", "ph1", "x".repeat(2001), START, end)))
                .isEqualTo("has 2001 characters of text, more than 2000");
        assertThat(CaptionEvents.liveProblem(caption("m1", "ph1", "hi", null, end)))
                .isEqualTo("has no start or end time");
        assertThat(CaptionEvents.liveProblem(caption("m1", "ph1", "hi", end, START)))
                .isEqualTo("ends before it starts");
    }
}
