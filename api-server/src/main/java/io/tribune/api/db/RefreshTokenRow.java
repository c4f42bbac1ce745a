package io.tribune.api.db;

import java.time.Instant;
import java.util.UUID;

/** A refresh token with what its session says: enough to decide a refresh. Immutable. */
public record RefreshTokenRow(byte[] tokenHash, UUID sessionId, UUID userId, Instant expiresAt, Instant rotatedAt,
                              Instant sessionRevokedAt) {
}
