package io.tribune.notify.core;

import io.tribune.events.MeetingEvents;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the worker knows of one meeting, built from its {@code tribune.meetings} events and kept in the worker's
 * {@code notification.meetings} table: the schedule (RRULE for a series), the invitees, the iCalendar sequence,
 * and the occurrences cancelled or moved one by one. Immutable; the {@code with...} methods return copies.
 *
 * @param cancelledOccurrences original starts of cancelled occurrences (EXDATE)
 * @param movedOccurrences     occurrences changed one by one (RECURRENCE-ID)
 */
public record MeetingPlan(String meetingId, String hostId, String title, String kind, Instant startTime,
                          Instant endTime, String timeZone, String recurrence, List<MeetingEvents.Invitee> invitees,
                          int sequence, List<Instant> cancelledOccurrences, List<MovedOccurrence> movedOccurrences) {

    /** One occurrence of a series with its own time or title; {@code occurrence} is its original start. */
    public record MovedOccurrence(Instant occurrence, Instant startTime, Instant endTime, String title) {
    }

    public MeetingPlan {
        Objects.requireNonNull(meetingId, "meetingId");
        invitees = invitees == null ? List.of() : List.copyOf(invitees);
        cancelledOccurrences = cancelledOccurrences == null ? List.of() : List.copyOf(cancelledOccurrences);
        movedOccurrences = movedOccurrences == null ? List.of() : List.copyOf(movedOccurrences);
    }

    public static MeetingPlan of(MeetingEvents.Scheduled event) {
        return new MeetingPlan(event.meetingId(), event.hostId(), event.title(), event.kind(), event.startTime(),
                event.endTime(), event.timeZone(), blankToNull(event.recurrence()), event.invitees(),
                event.sequence(), List.of(), List.of());
    }

    /** The series changed: its new schedule, keeping what was cancelled or moved one by one. */
    public MeetingPlan withSeries(MeetingEvents.Updated event) {
        return new MeetingPlan(meetingId, event.hostId() != null ? event.hostId() : hostId, event.title(),
                event.kind() != null ? event.kind() : kind, event.startTime(), event.endTime(),
                event.timeZone() != null ? event.timeZone() : timeZone, blankToNull(event.recurrence()),
                event.invitees(), event.sequence(), cancelledOccurrences, movedOccurrences);
    }

    /** One occurrence moved (or retitled). */
    public MeetingPlan withMoved(MeetingEvents.Updated event) {
        List<MovedOccurrence> moved = new ArrayList<>(movedOccurrences);
        moved.removeIf(m -> m.occurrence().equals(event.occurrence()));
        moved.add(new MovedOccurrence(event.occurrence(), event.startTime(), event.endTime(), event.title()));
        return new MeetingPlan(meetingId, hostId, title, kind, startTime, endTime, timeZone, recurrence,
                event.invitees().isEmpty() ? invitees : event.invitees(), event.sequence(), cancelledOccurrences,
                moved);
    }

    /** One occurrence cancelled. */
    public MeetingPlan withCancelled(Instant occurrence, int newSequence) {
        List<Instant> cancelled = new ArrayList<>(cancelledOccurrences);
        if (!cancelled.contains(occurrence)) {
            cancelled.add(occurrence);
        }
        List<MovedOccurrence> moved = new ArrayList<>(movedOccurrences);
        moved.removeIf(m -> m.occurrence().equals(occurrence));
        return new MeetingPlan(meetingId, hostId, title, kind, startTime, endTime, timeZone, recurrence, invitees,
                newSequence, cancelled, moved);
    }

    public ZoneId zone() {
        return timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    }

    public boolean isSeries() {
        return recurrence != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
