package io.tribune.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.api.AuditEntryResponse;
import io.tribune.api.api.SessionResponse;
import io.tribune.api.api.UserExportResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.db.AuditEntryRow;
import io.tribune.api.db.AuditLogDao;
import io.tribune.api.db.SessionDao;
import io.tribune.api.db.SessionRow;
import io.tribune.api.db.UserDao;
import io.tribune.api.db.UserRow;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An account's data export (GDPR Art. 15 and 20): profile, sessions, audit entries by or about it, and the
 * sections of the registered {@link UserDataExporter}s, read in one repeatable-read transaction so the sections
 * agree with each other. An admin's export of another account is itself audited.
 *
 * <p>Thread-safe.
 */
public final class AccountExport {

    private final Jdbi jdbi;
    private final Clock clock;
    private final UserDataHooks hooks;
    private final AuditLog auditLog;
    private final ObjectMapper mapper;

    public AccountExport(Jdbi jdbi, Clock clock, UserDataHooks hooks, AuditLog auditLog, ObjectMapper mapper) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @throws io.tribune.api.errors.ApiException 404 when there is no such live account */
    public UserExportResponse export(AuthenticatedUser caller, UUID userId) {
        UserExportResponse export = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            UserRow user = handle.attach(UserDao.class).findLive(userId).orElseThrow(Accounts::notFound);
            List<SessionResponse> sessions = handle.attach(SessionDao.class).listForUser(userId).stream()
                    .map(AccountExport::session)
                    .toList();
            List<AuditEntryResponse> audit = handle.attach(AuditLogDao.class).aboutUser(userId).stream()
                    .map(this::auditEntry)
                    .toList();
            Map<String, Object> sections = new LinkedHashMap<>();
            for (UserDataExporter exporter : hooks.exporters()) {
                sections.put(exporter.section(), exporter.export(handle, userId));
            }
            return new UserExportResponse(clock.instant(), AccountViews.user(user), sessions, audit, sections);
        });
        if (!caller.userId().equals(userId.toString())) {
            jdbi.useTransaction(handle -> auditLog.record(handle, caller.userId(), AuditLog.USER_EXPORTED_BY_ADMIN,
                    AuditLog.TARGET_USER, userId.toString(), Map.of()));
        }
        return export;
    }

    private static SessionResponse session(SessionRow row) {
        return new SessionResponse(row.id().toString(), row.createdAt(), row.lastUsedAt(), row.expiresAt(),
                row.revokedAt(), row.revokedReason(), row.userAgent(), row.ipAddress());
    }

    AuditEntryResponse auditEntry(AuditEntryRow row) {
        return AccountViews.auditEntry(row, parse(row.details()));
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("audit_log.details is not JSON", e);
        }
    }
}
