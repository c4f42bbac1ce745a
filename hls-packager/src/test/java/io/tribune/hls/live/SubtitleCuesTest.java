package io.tribune.hls.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SubtitleCuesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private final SubtitleCues cues = new SubtitleCues();

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    private static SubtitleCues.Cue cue(String id, double start, double end) {
        return new SubtitleCues.Cue(id, "Ada", "text " + id, at(start), at(end));
    }

    /** The ids a segment covering [start, end) gets, with the window starting at windowStart. */
    private List<String> segment(double start, double end, double windowStart) {
        return cues.take(at(start), at(end), at(windowStart)).stream().map(SubtitleCues.Cue::id).toList();
    }

    @Test
    void segmentGetsTheCuesOverlappingItsSpanInStartOrder() {
        cues.offer(cue("b", 1.0, 1.5));
        cues.offer(cue("a", 0.2, 0.8));
        cues.offer(cue("edge", 2.0, 2.5));
        assertThat(segment(0, 2, 0)).containsExactly("a", "b");
        assertThat(segment(2, 4, 0)).containsExactly("edge");
    }

    @Test
    void cueAcrossABoundaryIsInBothSegments() {
        cues.offer(cue("long", 1.5, 2.5));
        assertThat(segment(0, 2, 0)).containsExactly("long");
        assertThat(segment(2, 4, 0)).containsExactly("long");
        assertThat(segment(4, 6, 0)).isEmpty();
    }

    @Test
    void futureCueWaitsForItsSegment() {
        cues.offer(cue("later", 5.0, 5.5));
        assertThat(segment(0, 2, 0)).isEmpty();
        assertThat(segment(2, 4, 0)).isEmpty();
        assertThat(segment(4, 6, 0)).containsExactly("later");
    }

    @Nested
    class WhenACaptionArrivesAfterItsSegment {

        @Test
        void goesIntoTheNextSegmentOnce() {
            assertThat(segment(0, 2, 0)).isEmpty();
            cues.offer(cue("late", 0.5, 1.2));
            assertThat(segment(2, 4, 0)).containsExactly("late");
            assertThat(segment(4, 6, 0)).as("written once as late").isEmpty();
        }

        @Test
        void isRefusedOnceTheWindowHasMovedPastIt() {
            assertThat(segment(10, 12, 2)).isEmpty();
            assertThat(cues.offer(cue("old", 0.5, 1.9))).isEqualTo(SubtitleCues.Offer.EXPIRED);
            assertThat(cues.offer(cue("in-window", 1.0, 2.1))).isEqualTo(SubtitleCues.Offer.ACCEPTED);
            assertThat(segment(12, 14, 4)).containsExactly("in-window");
        }
    }

    @Test
    void repeatedPhraseIsOneCue() {
        assertThat(cues.offer(cue("p", 0.5, 1.0))).isEqualTo(SubtitleCues.Offer.ACCEPTED);
        assertThat(cues.offer(cue("p", 0.5, 1.0))).isEqualTo(SubtitleCues.Offer.DUPLICATE);
        assertThat(segment(0, 2, 0)).containsExactly("p");
        assertThat(cues.offer(cue("p", 0.5, 1.0))).as("still in the window").isEqualTo(SubtitleCues.Offer.DUPLICATE);
        assertThat(segment(2, 4, 0)).isEmpty();
    }

    @Test
    void writtenCuesLeaveWithTheWindow() {
        cues.offer(cue("a", 0.5, 1.0));
        cues.offer(cue("b", 2.5, 3.0));
        segment(0, 2, 0);
        segment(2, 4, 0);
        assertThat(cues.size()).isEqualTo(2);
        segment(4, 6, 2);
        assertThat(cues.size()).isEqualTo(1);
    }

    @Test
    void holdsAtMostMaxCuesDroppingTheOldest() {
        for (int i = 0; i <= SubtitleCues.MAX_CUES; i++) {
            cues.offer(cue("c" + i, 100 + i, 100.5 + i));
        }
        assertThat(cues.size()).isEqualTo(SubtitleCues.MAX_CUES);
        assertThat(segment(100, 102, 0)).containsExactly("c1");
    }

    @Test
    void refusesACueThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> cue("x", 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
