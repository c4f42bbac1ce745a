package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** An account as admins see it: {@code GET/PATCH /api/v1/admin/users}. Immutable. */
public record AdminUserResponse(
        @JsonProperty("user_id") String userId,
        @JsonProperty("username") String username,
        @JsonProperty("email") String email,
        @JsonProperty("role") String role,
        @JsonProperty("disabled") boolean disabled,
        @JsonProperty("email_verified") boolean emailVerified,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {
}
