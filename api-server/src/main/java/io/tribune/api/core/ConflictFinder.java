package io.tribune.api.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds which of a host's meetings overlap a new or changed schedule, recurring occurrences expanded, within
 * {@code horizon} after the schedule's first start (so that a series far in the future cannot make every check
 * expensive). Occurrences that only touch (one ends when the other starts) do not overlap. Thread-safe.
 */
public final class ConflictFinder {

    private final Duration horizon;

    public ConflictFinder(Duration horizon) {
        this.horizon = Objects.requireNonNull(horizon, "horizon");
    }

    /** A meeting already on the host's calendar. */
    public record Scheduled(String meetingId, String title, MeetingSchedule schedule) {
    }

    /** The first occurrence of {@code meetingId} that overlaps the candidate. */
    public record Conflict(String meetingId, String title, Instant startTime, Instant endTime) {
    }

    /** The window a check for {@code candidate} looks at: from its first start to the horizon or its end. */
    public Window window(MeetingSchedule candidate) {
        Instant from = candidate.spanStart();
        Instant limit = candidate.startTime().plus(horizon);
        Instant to = candidate.spanEnd().isBefore(limit) ? candidate.spanEnd() : limit;
        return new Window(from, to.isAfter(from) ? to : candidate.endTime());
    }

    public record Window(Instant from, Instant to) {
    }

    /** The conflicts of {@code candidate} with each of {@code existing}, in the order given. */
    public List<Conflict> find(MeetingSchedule candidate, List<Scheduled> existing) {
        Window window = window(candidate);
        List<Occurrence> mine = candidate.occurrences(window.from(), window.to());
        List<Conflict> conflicts = new ArrayList<>();
        if (mine.isEmpty()) {
            return conflicts;
        }
        for (Scheduled other : existing) {
            List<Occurrence> theirs = other.schedule().occurrences(window.from(), window.to());
            Occurrence hit = firstOverlap(mine, theirs);
            if (hit != null) {
                String title = hit.title() != null ? hit.title() : other.title();
                conflicts.add(new Conflict(other.meetingId(), title, hit.startTime(), hit.endTime()));
            }
        }
        return conflicts;
    }

    /** The first of {@code theirs} overlapping any of {@code mine}; both sorted by start. Linear merge. */
    static Occurrence firstOverlap(List<Occurrence> mine, List<Occurrence> theirs) {
        int i = 0;
        int j = 0;
        while (i < mine.size() && j < theirs.size()) {
            Occurrence a = mine.get(i);
            Occurrence b = theirs.get(j);
            if (a.overlaps(b)) {
                return b;
            }
            // Advance whichever ends first: it cannot overlap anything later in the other list.
            if (a.endTime().isAfter(b.endTime())) {
                j++;
            } else {
                i++;
            }
        }
        return null;
    }
}
