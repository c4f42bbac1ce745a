package io.tribune.api.core;

import java.time.Instant;

/**
 * One time a meeting takes place. {@code recurrenceId} is the start its rule gave it (null for a meeting that does
 * not repeat); {@code title} is null when it is the meeting's title; {@code modified} marks an occurrence edited
 * on its own. Immutable.
 */
public record Occurrence(Instant recurrenceId, Instant startTime, Instant endTime, String title,
                         boolean modified) {

    public boolean overlaps(Instant from, Instant to) {
        return startTime.isBefore(to) && endTime.isAfter(from);
    }

    public boolean overlaps(Occurrence other) {
        return overlaps(other.startTime, other.endTime);
    }
}
