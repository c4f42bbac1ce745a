package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.auth.PlatformRole;
import jakarta.validation.constraints.AssertTrue;

/** {@code PATCH /api/v1/admin/users/{user_id}}: {@code role} ({@code admin|host|member}) and/or {@code disabled}. */
public record AdminUserUpdateRequest(
        @JsonProperty("role") PlatformRole role,
        @JsonProperty("disabled") Boolean disabled) {

    @JsonIgnore
    @AssertTrue(message = "must change at least one of role, disabled")
    public boolean isChangingSomething() {
        return role != null || disabled != null;
    }
}
