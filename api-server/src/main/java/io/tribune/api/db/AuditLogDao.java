package io.tribune.api.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code audit_log}: append-only. Write through {@link io.tribune.api.core.AuditLog}. An attached instance belongs to
 * its handle (one thread, one transaction).
 */
@RegisterConstructorMapper(AuditEntryRow.class)
public interface AuditLogDao {

    String COLUMNS = "id, actor_id, action, target_type, target_id, CAST(details AS text) AS details, created_at, "
            + "request_id";

    @SqlUpdate("INSERT INTO audit_log (actor_id, action, target_type, target_id, details, created_at, request_id)"
            + " VALUES (CAST(:actorId AS uuid), :action, :targetType, :targetId, CAST(:details AS jsonb), :createdAt,"
            + " :requestId)")
    void insert(@Bind("actorId") UUID actorId, @Bind("action") String action, @Bind("targetType") String targetType,
                @Bind("targetId") String targetId, @Bind("details") String details,
                @Bind("createdAt") Instant createdAt, @Bind("requestId") String requestId);

    /** Newest first. */
    @SqlQuery("SELECT " + COLUMNS + " FROM audit_log ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
    List<AuditEntryRow> page(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT count(*) FROM audit_log")
    long count();

    /** Newest first, filtered: {@code actionPrefix} (a LIKE pattern, already escaped) and {@code targetId}. */
    @SqlQuery("SELECT " + COLUMNS + " FROM audit_log WHERE (CAST(:actionPrefix AS text) IS NULL"
            + " OR action LIKE :actionPrefix ESCAPE '!')"
            + " AND (CAST(:targetId AS text) IS NULL OR target_id = :targetId)"
            + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
    List<AuditEntryRow> filteredPage(@Bind("actionPrefix") String actionPrefix, @Bind("targetId") String targetId,
                                     @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT count(*) FROM audit_log WHERE (CAST(:actionPrefix AS text) IS NULL"
            + " OR action LIKE :actionPrefix ESCAPE '!')"
            + " AND (CAST(:targetId AS text) IS NULL OR target_id = :targetId)")
    long filteredCount(@Bind("actionPrefix") String actionPrefix, @Bind("targetId") String targetId);

    /** Entries the account made or that are about it, oldest first (data export). */
    @SqlQuery("SELECT " + COLUMNS + " FROM audit_log"
            + " WHERE actor_id = :userId OR (target_type = 'user' AND target_id = CAST(:userId AS text))"
            + " ORDER BY id")
    List<AuditEntryRow> aboutUser(@Bind("userId") UUID userId);
}
