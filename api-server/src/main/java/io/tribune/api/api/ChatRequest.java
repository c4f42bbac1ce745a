package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/meetings/{id}/chat}: {@code user_id} (must be the caller) and {@code message}; optionally
 * {@code to} (a participant id: a private message) and {@code client_id} (a resend with the same one is stored
 * once). Immutable.
 */
public record ChatRequest(
        @JsonProperty("user_id") String userId,
        @JsonProperty("message") String message,
        @JsonProperty("to") String to,
        @JsonProperty("client_id") String clientId) {
}
