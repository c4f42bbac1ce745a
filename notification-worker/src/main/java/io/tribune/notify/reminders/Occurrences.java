package io.tribune.notify.reminders;

import io.tribune.notify.core.MeetingPlan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.fortuna.ical4j.model.Recur;

/**
 * The occurrences of a {@link MeetingPlan}: the RRULE expanded with ical4j in the meeting's time zone (so 10:00
 * stays 10:00 across a DST change), cancelled ones left out, moved ones at their new time. Stateless.
 */
public final class Occurrences {

    /** How far ahead a series is expanded when looking for its next occurrence. */
    static final Duration HORIZON = Duration.ofDays(400);
    private static final int MAX_EXPANDED = 2000;

    /** One occurrence; {@code original} is its start as the RRULE gives it (its RECURRENCE-ID). */
    public record Occurrence(Instant original, Instant start, Instant end, String title) {
    }

    private Occurrences() {
    }

    /** Occurrences starting after {@code after}, soonest first, at most a {@link #HORIZON} ahead. */
    public static List<Occurrence> startingAfter(MeetingPlan plan, Instant after) {
        List<Occurrence> result = new ArrayList<>();
        Duration length = Duration.between(plan.startTime(), plan.endTime());
        for (Instant original : originals(plan, after.minus(Duration.ofDays(1)), after.plus(HORIZON))) {
            if (plan.cancelledOccurrences().contains(original)) {
                continue;
            }
            Occurrence occurrence = new Occurrence(original, original, original.plus(length), plan.title());
            for (MeetingPlan.MovedOccurrence moved : plan.movedOccurrences()) {
                if (moved.occurrence().equals(original)) {
                    occurrence = new Occurrence(original, moved.startTime(), moved.endTime(),
                            moved.title() != null ? moved.title() : plan.title());
                }
            }
            if (occurrence.start().isAfter(after)) {
                result.add(occurrence);
            }
        }
        result.sort(Comparator.comparing(Occurrence::start));
        return result;
    }

    /** When the next reminder falls due: the earliest {@code start - lead} of an occurrence starting after now. */
    public static Optional<Instant> nextReminder(MeetingPlan plan, Duration lead, Instant now) {
        return startingAfter(plan, now).stream().map(o -> o.start().minus(lead)).min(Comparator.naturalOrder());
    }

    /** Occurrences whose reminder is due at {@code now}: reminder time reached, meeting not started yet. */
    public static List<Occurrence> due(MeetingPlan plan, Duration lead, Instant now) {
        return startingAfter(plan, now).stream().filter(o -> !o.start().minus(lead).isAfter(now)).toList();
    }

    /** Reminders due strictly after {@code now}, soonest first. */
    public static Optional<Instant> nextReminderAfter(MeetingPlan plan, Duration lead, Instant now) {
        return startingAfter(plan, now).stream().map(o -> o.start().minus(lead)).filter(t -> t.isAfter(now))
                .min(Comparator.naturalOrder());
    }

    @SuppressWarnings("unchecked")
    private static List<Instant> originals(MeetingPlan plan, Instant from, Instant to) {
        if (!plan.isSeries()) {
            return List.of(plan.startTime());
        }
        ZonedDateTime seed = plan.startTime().atZone(plan.zone());
        List<Instant> starts = new ArrayList<>();
        Recur<Temporal> recur = new Recur<>(plan.recurrence());
        ZonedDateTime periodStart = from.isBefore(plan.startTime()) ? seed : from.atZone(plan.zone());
        for (Temporal date : recur.getDates(seed, periodStart, to.atZone(plan.zone()), MAX_EXPANDED)) {
            starts.add(Instant.from(date));
        }
        starts.sort(null);
        return starts;
    }
}
