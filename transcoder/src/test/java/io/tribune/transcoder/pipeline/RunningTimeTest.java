package io.tribune.transcoder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningTimeTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long X264 = RunningTime.X264_MIN_PTS_NANOS;

    @Test
    void aSegmentMapsTimestampsToRunningTime() {
        RunningTime time = new RunningTime();
        time.segment(X264, 0, 2 * SECOND);
        assertThat(time.of(X264 + SECOND)).isEqualTo(3 * SECOND);
        assertThat(time.of(-1)).isEqualTo(-1);
    }

    @Test
    void withoutASegmentAnEncoderTimestampCarryingX264sOffsetIsReadAsX264sSegment() {
        RunningTime time = new RunningTime();
        assertThat(time.of(X264 + 5 * SECOND)).isEqualTo(5 * SECOND);
    }

    @Test
    void anUnadjustedSegmentArrivingMidStreamKeepsTheTimelineContinuous() {
        // Seen in CI: x264enc's samples went under its adjusted segment, then a SEGMENT without the 1000 h came.
        RunningTime time = new RunningTime();
        time.segment(X264, 0, 0);
        long before = time.of(X264 + 700_000_000L);
        time.segment(0, 0, 0);
        long after = time.of(X264 + 733_333_333L);
        assertThat(after - before).isEqualTo(33_333_333L);

        RunningTime withStart = new RunningTime();
        withStart.segment(4 * SECOND, 0, SECOND);
        assertThat(withStart.of(X264 + 6 * SECOND)).as("start and base still apply").isEqualTo(3 * SECOND);
    }

    @Test
    void timestampsWithoutTheOffsetAreLeftAlone() {
        RunningTime audio = new RunningTime();
        assertThat(audio.of(3 * SECOND)).isEqualTo(3 * SECOND);
        audio.segment(SECOND, 0, 0);
        assertThat(audio.of(3 * SECOND)).isEqualTo(2 * SECOND);
    }
}
