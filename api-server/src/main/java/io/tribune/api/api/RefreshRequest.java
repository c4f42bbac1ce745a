package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/users/refresh}. A token of the wrong shape is simply unknown (401). Immutable. */
public record RefreshRequest(@JsonProperty("refresh_token") @NotNull @Size(max = 256) String refreshToken) {

    @Override
    public String toString() {
        return "RefreshRequest[refresh_token=***]";
    }
}
