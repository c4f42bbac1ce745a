package io.tribune.events;

import java.time.Instant;

/** Events on {@link Topics#PARTICIPANTS}, keyed by meeting id so one meeting's roster stays in order. */
public final class ParticipantEvents {

    private ParticipantEvents() {
    }

    /** {@code userId} is null for a guest. */
    @EventType(value = "participant.joined", topic = Topics.PARTICIPANTS)
    public record Joined(String meetingId, String participantId, String userId, String displayName, String role,
                         Instant joinedAt) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /** {@code reason}: {@code left}, {@code removed}, {@code timeout}, {@code ended}. */
    @EventType(value = "participant.left", topic = Topics.PARTICIPANTS)
    public record Left(String meetingId, String participantId, String reason, Instant leftAt) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    @EventType(value = "participant.role_changed", topic = Topics.PARTICIPANTS)
    public record RoleChanged(String meetingId, String participantId, String role, String changedBy)
            implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }
}
