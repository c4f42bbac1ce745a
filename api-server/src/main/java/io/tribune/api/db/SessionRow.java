package io.tribune.api.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code sessions}: one login and its refresh-token family. Immutable. */
public record SessionRow(UUID id, UUID userId, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
                         Instant revokedAt, String revokedReason, String userAgent, String ipAddress) {
}
