package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/users/login}. Immutable. */
public record LoginRequest(
        @JsonProperty("email")
        @NotNull
        @Size(max = FieldRules.EMAIL_MAX)
        @Pattern(regexp = FieldRules.NO_CONTROL_CHARACTERS, message = FieldRules.NO_CONTROL_CHARACTERS_MESSAGE)
        String email,

        @JsonProperty("password") @NotNull @Size(max = FieldRules.PASSWORD_MAX) String password) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "LoginRequest[email=" + email + "]";
    }
}
