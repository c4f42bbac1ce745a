package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** A login session as its holder sees it in the data export. Immutable. */
public record SessionResponse(
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("last_used_at") Instant lastUsedAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("revoked_at") Instant revokedAt,
        @JsonProperty("revoked_reason") String revokedReason,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("ip_address") String ipAddress) {
}
