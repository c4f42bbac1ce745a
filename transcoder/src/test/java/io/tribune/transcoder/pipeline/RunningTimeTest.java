package io.tribune.transcoder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningTimeTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSegmentMapsTimestampsToRunningTime() {
        RunningTime time = new RunningTime();
        time.segment(RunningTime.X264_MIN_PTS_NANOS, 0, 2 * SECOND);
        assertThat(time.of(RunningTime.X264_MIN_PTS_NANOS + SECOND)).isEqualTo(3 * SECOND);
        assertThat(time.of(-1)).isEqualTo(-1);
    }

    @Test
    void withoutASegmentAnEncoderTimestampCarryingX264sOffsetAssumesItsSegment() {
        RunningTime time = new RunningTime();
        assertThat(time.assumeEncoderSegmentIfUnseen(RunningTime.X264_MIN_PTS_NANOS + 5 * SECOND)).isTrue();
        assertThat(time.of(RunningTime.X264_MIN_PTS_NANOS + 5 * SECOND)).isEqualTo(5 * SECOND);
    }

    @Test
    void aSeenSegmentOrAnUnshiftedTimestampIsLeftAlone() {
        RunningTime seen = new RunningTime();
        seen.segment(RunningTime.X264_MIN_PTS_NANOS + SECOND, 0, 0);
        assertThat(seen.assumeEncoderSegmentIfUnseen(RunningTime.X264_MIN_PTS_NANOS + 2 * SECOND)).isFalse();
        assertThat(seen.of(RunningTime.X264_MIN_PTS_NANOS + 2 * SECOND)).isEqualTo(SECOND);

        RunningTime audio = new RunningTime();
        assertThat(audio.assumeEncoderSegmentIfUnseen(3 * SECOND)).isFalse();
        assertThat(audio.of(3 * SECOND)).isEqualTo(3 * SECOND);
    }
}
