package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code PATCH /api/v1/users/{user_id}}: every field optional, absent ones unchanged. Changing the password
 * needs {@code current_password}; changing the email address resets its verification.
 * Immutable.
 */
public record UpdateUserRequest(
        @JsonProperty("username")
        @Size(min = FieldRules.USERNAME_MIN, max = FieldRules.USERNAME_MAX, message = FieldRules.USERNAME_MESSAGE)
        @Pattern(regexp = FieldRules.USERNAME_PATTERN, message = FieldRules.USERNAME_MESSAGE)
        String username,

        @JsonProperty("email")
        @Size(max = FieldRules.EMAIL_MAX)
        @Pattern(regexp = FieldRules.EMAIL_PATTERN, message = FieldRules.EMAIL_MESSAGE)
        String email,

        @JsonProperty("current_password")
        @Size(max = FieldRules.PASSWORD_MAX)
        String currentPassword,

        @JsonProperty("new_password")
        @Size(max = FieldRules.PASSWORD_MAX)
        String newPassword) {

    /** Whether the request asks for any change (the resource answers 422 otherwise). */
    public boolean changesSomething() {
        return username != null || email != null || newPassword != null;
    }

    @Override
    public String toString() {
        return "UpdateUserRequest[username=" + username + ", email=" + email + ", new_password="
                + (newPassword == null ? "absent" : "***") + "]";
    }
}
