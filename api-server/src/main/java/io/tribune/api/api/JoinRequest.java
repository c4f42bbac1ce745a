package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/meetings/{id}/join}: {@code user_id} (must be the caller) when signed in, or
 * {@code display_name} for a guest; {@code passcode} when the caller is not invited. A guest a host admitted from
 * the lobby who joins again sends {@code participant_id} (their guest id) and {@code rejoin_secret} (from the
 * admitting answer) to skip the lobby. Immutable.
 */
public record JoinRequest(
        @JsonProperty("user_id") String userId,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("passcode") String passcode,
        @JsonProperty("participant_id") String participantId,
        @JsonProperty("rejoin_secret") String rejoinSecret) {

    public JoinRequest(String userId, String displayName, String passcode) {
        this(userId, displayName, passcode, null, null);
    }
}
