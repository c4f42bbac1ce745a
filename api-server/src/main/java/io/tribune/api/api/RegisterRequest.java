package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/users/register}. The password's strength is checked by the password policy. Immutable. */
public record RegisterRequest(
        @JsonProperty("username")
        @NotNull
        @Size(min = FieldRules.USERNAME_MIN, max = FieldRules.USERNAME_MAX, message = FieldRules.USERNAME_MESSAGE)
        @Pattern(regexp = FieldRules.USERNAME_PATTERN, message = FieldRules.USERNAME_MESSAGE)
        String username,

        @JsonProperty("email")
        @NotNull
        @Size(max = FieldRules.EMAIL_MAX)
        @Pattern(regexp = FieldRules.EMAIL_PATTERN, message = FieldRules.EMAIL_MESSAGE)
        String email,

        @JsonProperty("password")
        @NotNull
        @Size(max = FieldRules.PASSWORD_MAX)
        String password) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RegisterRequest[username=" + username + ", email=" + email + "]";
    }
}
