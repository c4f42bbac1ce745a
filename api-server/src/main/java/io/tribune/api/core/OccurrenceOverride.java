package io.tribune.api.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One occurrence of a series that differs from the rule: cancelled (an EXDATE in iCalendar) or moved/renamed (a
 * VEVENT with RECURRENCE-ID). {@code occurrence} is the start the rule gave it, which identifies it for good.
 * {@code title} null means the series' title. Immutable.
 */
public record OccurrenceOverride(Instant occurrence, boolean cancelled, String title, Instant startTime,
                                 Instant endTime) {

    public OccurrenceOverride {
        Objects.requireNonNull(occurrence, "occurrence");
        if (!cancelled && (startTime == null || endTime == null || !endTime.isAfter(startTime))) {
            throw new IllegalArgumentException("a changed occurrence needs a start before its end");
        }
    }

    public static OccurrenceOverride cancelled(Instant occurrence) {
        return new OccurrenceOverride(occurrence, true, null, null, null);
    }
}
