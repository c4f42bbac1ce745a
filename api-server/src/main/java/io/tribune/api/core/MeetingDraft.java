package io.tribune.api.core;

import java.util.List;

/**
 * A checked request to schedule a meeting. {@code passcode} null means "make one up". Immutable.
 */
public record MeetingDraft(String title, MeetingKind kind, MeetingSchedule schedule,
                           List<ParticipantSpec> participants, MeetingSettings settings, String passcode,
                           boolean allowOverlap) {

    public MeetingDraft {
        participants = List.copyOf(participants);
    }
}
