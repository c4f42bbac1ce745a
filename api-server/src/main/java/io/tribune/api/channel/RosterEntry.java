package io.tribune.api.channel;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * One connected participant as everyone's participants panel shows it. {@code connectionId} tells this
 * participant's current connection from an older one that closes late. Immutable.
 */
record RosterEntry(@JsonProperty("participant_id") String participantId,
                   @JsonProperty("name") String name,
                   @JsonProperty("role") String role,
                   @JsonProperty("connection_id") String connectionId,
                   @JsonProperty("audio_muted") boolean audioMuted,
                   @JsonProperty("video_muted") boolean videoMuted,
                   @JsonProperty("sharing") boolean sharing,
                   @JsonProperty("hand_raised") boolean handRaised,
                   @JsonProperty("joined_at") Instant joinedAt) {

    RosterEntry withMedia(boolean audio, boolean video, boolean share) {
        return new RosterEntry(participantId, name, role, connectionId, audio, video, share, handRaised, joinedAt);
    }

    RosterEntry withHand(boolean raised) {
        return new RosterEntry(participantId, name, role, connectionId, audioMuted, videoMuted, sharing, raised,
                joinedAt);
    }
}
