package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/users/password-reset/confirm}: the link id from the reset mail and the new password. Immutable.
 */
public record PasswordResetConfirmRequest(
        @JsonProperty("link_id")
        @NotNull
        @Pattern(regexp = FieldRules.LINK_ID_PATTERN, message = "must be the link id from the mail")
        String linkId,

        @JsonProperty("new_password")
        @NotNull
        @Size(max = FieldRules.PASSWORD_MAX)
        String newPassword) {

    @Override
    public String toString() {
        return "PasswordResetConfirmRequest[link_id=***]";
    }
}
