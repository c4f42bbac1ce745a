package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/meetings/{id}/join}: {@code user_id} (must be the caller) when signed in, or
 * {@code display_name} for a guest; {@code passcode} when the caller is not invited. Immutable.
 */
public record JoinRequest(
        @JsonProperty("user_id") String userId,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("passcode") String passcode) {
}
