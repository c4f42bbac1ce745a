package io.tribune.api.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code audit_log}; {@code details} is the JSON text of the jsonb column. Immutable. */
public record AuditEntryRow(long id, UUID actorId, String action, String targetType, String targetId,
                            String details, Instant createdAt, String requestId) {
}
