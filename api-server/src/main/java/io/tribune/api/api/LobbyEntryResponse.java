package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/meetings/{id}/lobby}: who waits, for hosts and co-hosts. Immutable. */
public record LobbyEntryResponse(
        @JsonProperty("participant_id") String participantId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("role") String role,
        @JsonProperty("reason") String reason,
        @JsonProperty("admitted") boolean admitted,
        @JsonProperty("waiting_since") Instant waitingSince) {

    /** The whole lobby. */
    public record Listing(@JsonProperty("meeting_id") String meetingId,
                          @JsonProperty("waiting") List<LobbyEntryResponse> waiting) {
    }
}
