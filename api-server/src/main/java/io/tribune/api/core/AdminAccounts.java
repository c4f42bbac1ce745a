package io.tribune.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.api.AdminUserResponse;
import io.tribune.api.api.AdminUserUpdateRequest;
import io.tribune.api.api.AuditEntryResponse;
import io.tribune.api.api.PageResponse;
import io.tribune.api.auth.AccessState;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.auth.PlatformRole;
import io.tribune.api.db.AuditLogDao;
import io.tribune.api.db.UserDao;
import io.tribune.api.db.UserRow;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.UserEvents;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What admins do to accounts: list and search them, change their platform role, disable and re-enable them, and
 * read the audit log. Every change is audited and published ({@code user.role_changed}, {@code user.disabled})
 * in its transaction. Disabling revokes the account's sessions. No change may leave the deployment without an
 * enabled admin.
 *
 * <p>Thread-safe.
 */
public final class AdminAccounts {

    static final String REVOKED_DISABLED = "disabled";

    private final Jdbi jdbi;
    private final Clock clock;
    private final OutboxWriter outbox;
    private final Sessions sessions;
    private final AccessState accessState;
    private final AuditLog auditLog;
    private final ObjectMapper mapper;

    public AdminAccounts(Jdbi jdbi, Clock clock, OutboxWriter outbox, Sessions sessions, AccessState accessState,
                         AuditLog auditLog, ObjectMapper mapper) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.accessState = Objects.requireNonNull(accessState, "accessState");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * A page of live accounts, oldest first.
     *
     * @param query substring of username or email, ignoring case; null or blank for all
     * @param role  only accounts with this role; null for all
     */
    public PageResponse<AdminUserResponse> list(int page, int size, String query, PlatformRole role) {
        String pattern = query == null || query.isBlank() ? null : "%" + likeEscape(query.strip()) + "%";
        String roleName = role == null ? null : role.wireName();
        long offset = (long) (page - 1) * size;
        return jdbi.withExtension(UserDao.class, users -> new PageResponse<>(
                users.page(pattern, roleName, size, offset).stream().map(AccountViews::adminUser).toList(),
                page, size, users.count(pattern, roleName)));
    }

    /** A page of the audit log, newest first. */
    public PageResponse<AuditEntryResponse> auditLog(int page, int size) {
        return auditLog(page, size, null, null);
    }

    /**
     * A page of the audit log, newest first, optionally only entries whose action starts with {@code actionPrefix}
     * ({@code recording.} for everything about recordings) and about {@code targetId}.
     */
    public PageResponse<AuditEntryResponse> auditLog(int page, int size, String actionPrefix, String targetId) {
        long offset = (long) (page - 1) * size;
        if (actionPrefix != null || targetId != null) {
            String pattern = actionPrefix == null ? null : likeEscape(actionPrefix) + "%";
            return jdbi.withExtension(AuditLogDao.class, entries -> new PageResponse<>(
                    entries.filteredPage(pattern, targetId, size, offset).stream()
                            .map(row -> AccountViews.auditEntry(row, json(row.details()))).toList(),
                    page, size, entries.filteredCount(pattern, targetId)));
        }
        return jdbi.withExtension(AuditLogDao.class, entries -> new PageResponse<>(
                entries.page(size, offset).stream().map(row -> AccountViews.auditEntry(row, json(row.details())))
                        .toList(),
                page, size, entries.count()));
    }

    /**
     * Changes the role and/or the disabled flag.
     *
     * @throws ApiException 404 when there is no such live account; 409 {@code last_admin} when the change would
     *                      leave no enabled admin
     */
    public AdminUserResponse update(AuthenticatedUser caller, UUID userId, AdminUserUpdateRequest request) {
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            UserDao users = handle.attach(UserDao.class);
            List<UUID> admins = users.lockActiveAdmins();
            UserRow user = users.lockLive(userId).orElseThrow(Accounts::notFound);
            PlatformRole role = request.role() != null ? request.role() : user.platformRole();
            boolean disabled = request.disabled() != null ? request.disabled() : user.disabled();
            boolean stillAnAdmin = role == PlatformRole.ADMIN && !disabled;
            if (admins.contains(userId) && !stillAnAdmin && admins.size() == 1) {
                throw lastAdmin();
            }
            boolean roleChanged = role != user.platformRole();
            boolean disabledChanged = disabled != user.disabled();
            if (!roleChanged && !disabledChanged) {
                return;
            }
            users.updateRoleAndDisabled(userId, role.wireName(), disabled, now);
            if (roleChanged) {
                outbox.append(handle, new UserEvents.RoleChanged(userId.toString(), role.wireName(), caller.userId()));
                auditLog.record(handle, caller.userId(), AuditLog.USER_ROLE_CHANGED, AuditLog.TARGET_USER,
                        userId.toString(), Map.of("from", user.role(), "to", role.wireName()));
            }
            if (disabledChanged) {
                outbox.append(handle, new UserEvents.Disabled(userId.toString(), disabled, caller.userId()));
                auditLog.record(handle, caller.userId(), disabled ? AuditLog.USER_DISABLED : AuditLog.USER_ENABLED,
                        AuditLog.TARGET_USER, userId.toString(), Map.of());
            }
            // Redis last: if it refuses, nothing above is committed.
            if (disabled && disabledChanged) {
                sessions.revokeAll(handle, userId, null, REVOKED_DISABLED);
            }
            accessState.accountChanged(userId, role, !disabled);
        });
        return jdbi.withExtension(UserDao.class, users -> users.findLive(userId)).map(AccountViews::adminUser)
                .orElseThrow(Accounts::notFound);
    }

    static ApiException lastAdmin() {
        return new ApiException(409, "last_admin",
                "This is the last enabled admin; make another account admin first.");
    }

    /** LIKE pattern text that matches {@code text} literally, with '!' as the escape character. */
    static String likeEscape(String text) {
        return text.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("audit_log.details is not JSON", e);
        }
    }
}
