package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.auth.PlatformRole;

/**
 * {@code PATCH /api/v1/admin/users/{user_id}}: {@code role} ({@code admin|host|member}) and/or {@code disabled}.
 * Immutable.
 */
public record AdminUserUpdateRequest(
        @JsonProperty("role") PlatformRole role,
        @JsonProperty("disabled") Boolean disabled) {

    /** Whether the request asks for any change (the resource answers 422 otherwise). */
    public boolean changesSomething() {
        return role != null || disabled != null;
    }
}
