package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/meetings/join}: the number people type (spaces and dashes are ignored) and the passcode,
 * which joining by number always needs. Immutable.
 */
public record JoinByNumberRequest(
        @JsonProperty("numeric_id") String numericId,
        @JsonProperty("passcode") String passcode,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("user_id") String userId) {
}
