package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/users/password-reset}: answered 202 whether or not an account has the address. Immutable. */
public record PasswordResetRequest(
        @JsonProperty("email")
        @NotNull
        @Size(max = FieldRules.EMAIL_MAX)
        @Pattern(regexp = FieldRules.EMAIL_PATTERN, message = FieldRules.EMAIL_MESSAGE)
        String email) {
}
