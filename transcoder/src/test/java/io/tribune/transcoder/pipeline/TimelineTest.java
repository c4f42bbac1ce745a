package io.tribune.transcoder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void aRestartContinuesAfterEverythingSentSoFar() {
        Timeline timeline = new Timeline();
        assertThat(timeline.output(1_000_000_000L, 33_000_000L)).isEqualTo(1_000_000_000L);
        timeline.output(900_000_000L, 21_000_000L);
        timeline.restart(100_000_000L);
        assertThat(timeline.output(0, 33_000_000L)).isEqualTo(1_133_000_000L);
    }

    @Test
    void capturTimeComesFromTheAnchorOfTheCurrentPipeline() {
        Timeline timeline = new Timeline();
        assertThat(timeline.captureMicros(5)).isEqualTo(Long.MIN_VALUE);
        timeline.anchor(2_000_000_000L, 10_000_000_000L);
        assertThat(timeline.captureMicros(3_000_000_000L)).isEqualTo(10_001_000_000L);
        timeline.restart(0);
        assertThat(timeline.captureMicros(3_000_000_000L)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void runningTimeRemovesTheSegmentsStartOffsetAndAddsItsBase() {
        RunningTime running = new RunningTime();
        long thousandHours = 3_600_000_000_000_000L;
        running.segment(thousandHours, 0, 0);
        assertThat(running.of(thousandHours + 5)).isEqualTo(5);
        assertThat(running.of(-1)).isEqualTo(-1);
    }
}
