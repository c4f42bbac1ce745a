package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/meetings/join}: the number people type, as a JSON string (spaces and dashes are ignored)
 * or number, and the passcode, which joining by number always needs. Immutable.
 */
public record JoinByNumberRequest(
        @JsonProperty("numeric_id") JsonNode numericId,
        @JsonProperty("passcode") String passcode,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("user_id") String userId) {
}
