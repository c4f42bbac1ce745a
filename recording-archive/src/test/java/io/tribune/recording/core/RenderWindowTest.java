package io.tribune.recording.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.recording.db.ArchiveState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The composed recording covers the host's start to the host's stop, not the taps' later span. */
class RenderWindowTest {

    private static final Instant STARTED = Instant.parse("2026-11-27T08:00:00Z");

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    private static ArchiveState.RecordingRow row(Instant started, Instant stopped) {
        return new ArchiveState.RecordingRow("r-1", "m-1", "rendering", stopped, started);
    }

    @Test
    void startsAtTheHostsStartAndEndsAtTheHostsStop() {
        long firstMedia = micros(STARTED.plusMillis(400)); // the SFU tapped 0.4 s after the start
        long[] window = RenderQueue.window(row(STARTED, STARTED.plusSeconds(54)), firstMedia);
        assertThat(window[0]).isEqualTo(micros(STARTED));
        assertThat(window[1]).as("length limit in ms").isEqualTo(54_000);
    }

    @Test
    void aLongEmptyLeadInIsSkipped() {
        long firstMedia = micros(STARTED.plusSeconds(90)); // recorded an empty room for a minute and a half
        long[] window = RenderQueue.window(row(STARTED, STARTED.plusSeconds(120)), firstMedia);
        assertThat(window[0]).isEqualTo(firstMedia);
        assertThat(window[1]).isEqualTo(30_000);
    }

    @Test
    void withoutTheEventsTimesTheTapsSpanIsKept() {
        long firstMedia = micros(STARTED);
        long[] window = RenderQueue.window(row(null, null), firstMedia);
        assertThat(window[0]).isEqualTo(firstMedia);
        assertThat(window[1]).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aStopBeforeTheFirstPacketDoesNotCutEverything() {
        long firstMedia = micros(STARTED.plusSeconds(2));
        long[] window = RenderQueue.window(row(null, STARTED.plusSeconds(1)), firstMedia);
        assertThat(window[1]).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFirstPacketBeforeTheStartKeepsTheTapsOrigin() {
        long firstMedia = micros(STARTED.minusMillis(50)); // clocks a little apart
        long[] window = RenderQueue.window(row(STARTED, STARTED.plusSeconds(10)), firstMedia);
        assertThat(window[0]).isEqualTo(firstMedia);
        assertThat(window[1]).isEqualTo(10_050);
    }
}
