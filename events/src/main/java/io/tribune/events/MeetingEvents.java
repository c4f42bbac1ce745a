package io.tribune.events;

import java.time.Instant;
import java.util.List;

/** Events on {@link Topics#MEETINGS}, keyed by meeting id. */
public final class MeetingEvents {

    private MeetingEvents() {
    }

    /** Someone invited: a user id when they have an account, an email address otherwise. */
    public record Invitee(String userId, String email, String role) {
    }

    /**
     * A meeting was scheduled. {@code sequence} is the iCalendar SEQUENCE (0 when new); {@code recurrence} an
     * RFC 5545 RRULE value or null.
     */
    @EventType(value = "meeting.scheduled", topic = Topics.MEETINGS)
    public record Scheduled(String meetingId, String hostId, String title, String kind, Instant startTime,
                            Instant endTime, String timeZone, String recurrence, List<Invitee> invitees,
                            int sequence) implements EventData {
        public Scheduled {
            invitees = invitees == null ? List.of() : List.copyOf(invitees);
        }

        @Override
        public String key() {
            return meetingId;
        }
    }

    /** A meeting (or, with {@code occurrence} set, one occurrence of a series) changed. */
    @EventType(value = "meeting.updated", topic = Topics.MEETINGS)
    public record Updated(String meetingId, String hostId, String title, String kind, Instant startTime,
                          Instant endTime, String timeZone, String recurrence, List<Invitee> invitees,
                          int sequence, Instant occurrence) implements EventData {
        public Updated {
            invitees = invitees == null ? List.of() : List.copyOf(invitees);
        }

        @Override
        public String key() {
            return meetingId;
        }
    }

    @EventType(value = "meeting.cancelled", topic = Topics.MEETINGS)
    public record Cancelled(String meetingId, String hostId, String title, List<Invitee> invitees, int sequence,
                            Instant occurrence) implements EventData {
        public Cancelled {
            invitees = invitees == null ? List.of() : List.copyOf(invitees);
        }

        @Override
        public String key() {
            return meetingId;
        }
    }

    @EventType(value = "meeting.started", topic = Topics.MEETINGS)
    public record Started(String meetingId, String roomId, Instant startedAt) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    @EventType(value = "meeting.ended", topic = Topics.MEETINGS)
    public record Ended(String meetingId, String roomId, Instant endedAt, String endedBy) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /** A town hall's host (or co-host) started its broadcast: the audience may watch {@code hlsUrl}. */
    @EventType(value = "meeting.broadcast_started", topic = Topics.MEETINGS)
    public record BroadcastStarted(String meetingId, String hlsUrl, Instant startedAt, String startedBy)
            implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /** A town hall's broadcast was stopped (the transcoder may end the event; the replay stays). */
    @EventType(value = "meeting.broadcast_stopped", topic = Topics.MEETINGS)
    public record BroadcastStopped(String meetingId, Instant stoppedAt, String stoppedBy) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }
}
