package io.tribune.api.channel;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Set;

/**
 * One connected participant as everyone's participants panel shows it. {@code connectionId} tells this
 * participant's current connection from an older one that closes late. {@code connectionQuality} is what the
 * participant's own client last reported about its media connection ({@link #QUALITIES}), null until it reports.
 * Immutable.
 */
record RosterEntry(@JsonProperty("participant_id") String participantId,
                   @JsonProperty("name") String name,
                   @JsonProperty("role") String role,
                   @JsonProperty("connection_id") String connectionId,
                   @JsonProperty("audio_muted") boolean audioMuted,
                   @JsonProperty("video_muted") boolean videoMuted,
                   @JsonProperty("sharing") boolean sharing,
                   @JsonProperty("hand_raised") boolean handRaised,
                   @JsonProperty("joined_at") Instant joinedAt,
                   @JsonProperty("connection_quality") String connectionQuality) {

    /** The levels a client may report, as its connection quality indicator shows them. */
    static final Set<String> QUALITIES = Set.of("good", "fair", "poor");

    /** A newcomer, who has not reported its connection quality yet. */
    RosterEntry(String participantId, String name, String role, String connectionId, boolean audioMuted,
                boolean videoMuted, boolean sharing, boolean handRaised, Instant joinedAt) {
        this(participantId, name, role, connectionId, audioMuted, videoMuted, sharing, handRaised, joinedAt, null);
    }

    RosterEntry withMedia(boolean audio, boolean video, boolean share) {
        return new RosterEntry(participantId, name, role, connectionId, audio, video, share, handRaised, joinedAt,
                connectionQuality);
    }

    RosterEntry withHand(boolean raised) {
        return new RosterEntry(participantId, name, role, connectionId, audioMuted, videoMuted, sharing, raised,
                joinedAt, connectionQuality);
    }

    RosterEntry withQuality(String level) {
        return new RosterEntry(participantId, name, role, connectionId, audioMuted, videoMuted, sharing, handRaised,
                joinedAt, level);
    }
}
