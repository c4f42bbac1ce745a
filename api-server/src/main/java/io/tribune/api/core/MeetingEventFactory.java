package io.tribune.api.core;

import io.tribune.events.MeetingEvents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the {@code tribune.meetings} events of a meeting's changes. Invitees by account carry their account's
 * email address, so the notification worker can mail them without asking. Thread-safe.
 */
public final class MeetingEventFactory {

    private final UserDirectory users;

    public MeetingEventFactory(UserDirectory users) {
        this.users = Objects.requireNonNull(users);
    }

    public MeetingEvents.Scheduled scheduled(Meeting meeting) {
        MeetingSchedule schedule = meeting.schedule();
        return new MeetingEvents.Scheduled(meeting.id(), meeting.hostId(), meeting.title(), meeting.kind().wireName(),
                schedule.startTime(), schedule.endTime(), schedule.timeZone().getId(),
                schedule.rule().map(RecurrenceRule::value).orElse(null), invitees(meeting.invitees()),
                meeting.sequence());
    }

    /** The series changed ({@code override} null), or one occurrence did ({@code occurrence} its original start). */
    public MeetingEvents.Updated updated(Meeting meeting, OccurrenceOverride override, Instant occurrence) {
        MeetingSchedule schedule = meeting.schedule();
        Instant start = override != null ? override.startTime() : schedule == null ? null : schedule.startTime();
        Instant end = override != null ? override.endTime() : schedule == null ? null : schedule.endTime();
        String title = override != null && override.title() != null ? override.title() : meeting.title();
        return new MeetingEvents.Updated(meeting.id(), meeting.hostId(), title, meeting.kind().wireName(), start, end,
                schedule == null ? null : schedule.timeZone().getId(),
                schedule == null ? null : schedule.rule().map(RecurrenceRule::value).orElse(null),
                invitees(meeting.invitees()), meeting.sequence(), occurrence);
    }

    /** The meeting was cancelled, or ({@code occurrence} not null) one of its occurrences. */
    public MeetingEvents.Cancelled cancelled(Meeting meeting, Instant occurrence) {
        return new MeetingEvents.Cancelled(meeting.id(), meeting.hostId(), meeting.title(),
                invitees(meeting.invitees()), meeting.sequence(), occurrence);
    }

    /** Invitees as events carry them: by account with the account's address. */
    List<MeetingEvents.Invitee> invitees(List<Invitee> invitees) {
        Set<String> userIds = new LinkedHashSet<>();
        invitees.stream().filter(i -> i.userId() != null).forEach(i -> userIds.add(i.userId()));
        Map<String, UserDirectory.UserProfile> profiles = userIds.isEmpty() ? Map.of() : users.findAll(userIds);
        List<MeetingEvents.Invitee> result = new ArrayList<>();
        for (Invitee invitee : invitees) {
            String email = invitee.email();
            if (invitee.userId() != null && profiles.containsKey(invitee.userId())) {
                email = profiles.get(invitee.userId()).email();
            }
            result.add(new MeetingEvents.Invitee(invitee.userId(), email, invitee.role().wireName()));
        }
        return result;
    }
}
