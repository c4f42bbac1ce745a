package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of login and refresh: an access token ({@code token}, a JWT valid {@code expires_in} seconds) and the
 * refresh token that obtains the next one (opaque, single use, valid {@code refresh_expires_in} seconds).
 * Immutable.
 */
public record LoginResponse(
        @JsonProperty("token") String token,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("user_id") String userId,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("refresh_expires_in") long refreshExpiresIn) {

    public static final String BEARER = "Bearer";

    @Override
    public String toString() {
        return "LoginResponse[user_id=" + userId + ", expires_in=" + expiresIn + "]";
    }
}
