package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** An account as its holder (or an admin) sees it: {@code GET /api/v1/users/{user_id}}, register, update. Immutable. */
public record UserResponse(
        @JsonProperty("user_id") String userId,
        @JsonProperty("username") String username,
        @JsonProperty("email") String email,
        @JsonProperty("role") String role,
        @JsonProperty("email_verified") boolean emailVerified,
        @JsonProperty("created_at") Instant createdAt) {
}
