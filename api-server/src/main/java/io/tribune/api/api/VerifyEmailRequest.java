package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /api/v1/users/verify-email}: the link id from the verification mail. Immutable. */
public record VerifyEmailRequest(
        @JsonProperty("link_id")
        @NotNull
        @Pattern(regexp = FieldRules.LINK_ID_PATTERN, message = "must be the link id from the mail")
        String linkId) {

    @Override
    public String toString() {
        return "VerifyEmailRequest[link_id=***]";
    }
}
