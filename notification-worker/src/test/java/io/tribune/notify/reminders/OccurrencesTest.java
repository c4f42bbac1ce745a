package io.tribune.notify.reminders;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.notify.core.MeetingPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OccurrencesTest {

    private static final Duration LEAD = Duration.ofMinutes(10);

    /** Tuesdays 10:00 Europe/Berlin from 20 October 2026: the clocks go back on 25 October. */
    private final MeetingPlan weekly = new MeetingPlan("m-1", "h", "Planning", "meeting",
            Instant.parse("2026-10-20T08:00:00Z"), Instant.parse("2026-10-20T09:00:00Z"), "Europe/Berlin",
            "FREQ=WEEKLY;COUNT=4", List.of(), 0, List.of(Instant.parse("2026-11-03T09:00:00Z")),
            List.of(new MeetingPlan.MovedOccurrence(Instant.parse("2026-11-10T09:00:00Z"),
                    Instant.parse("2026-11-10T13:00:00Z"), Instant.parse("2026-11-10T14:00:00Z"), "Moved")));

    @Test
    void expandsTheSeriesInItsTimeZoneSkippingCancelledAndMovingMovedOccurrences() {
        assertThat(Occurrences.startingAfter(weekly, Instant.parse("2026-10-01T00:00:00Z")))
                .extracting(Occurrences.Occurrence::start)
                .containsExactly(Instant.parse("2026-10-20T08:00:00Z"), Instant.parse("2026-10-27T09:00:00Z"),
                        Instant.parse("2026-11-10T13:00:00Z"));
    }

    @Test
    void remindsLeadTimeBeforeEachOccurrenceAndNotAfterItStarted() {
        Instant beforeFirst = Instant.parse("2026-10-20T07:00:00Z");
        assertThat(Occurrences.nextReminder(weekly, LEAD, beforeFirst))
                .contains(Instant.parse("2026-10-20T07:50:00Z"));
        assertThat(Occurrences.due(weekly, LEAD, beforeFirst)).isEmpty();

        Instant atReminder = Instant.parse("2026-10-20T07:50:01Z");
        assertThat(Occurrences.due(weekly, LEAD, atReminder)).extracting(Occurrences.Occurrence::start)
                .containsExactly(Instant.parse("2026-10-20T08:00:00Z"));
        assertThat(Occurrences.nextReminderAfter(weekly, LEAD, atReminder))
                .contains(Instant.parse("2026-10-27T08:50:00Z"));

        assertThat(Occurrences.due(weekly, LEAD, Instant.parse("2026-10-20T08:00:00Z"))).isEmpty();
        assertThat(Occurrences.nextReminder(weekly, LEAD, Instant.parse("2026-11-11T00:00:00Z"))).isEmpty();
    }
}
