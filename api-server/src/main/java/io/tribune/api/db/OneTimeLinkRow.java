package io.tribune.api.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code one_time_links} (the link id itself is never stored, only its hash). Immutable. */
public record OneTimeLinkRow(UUID userId, String purpose, String email, Instant createdAt, Instant expiresAt,
                             Instant usedAt) {
}
