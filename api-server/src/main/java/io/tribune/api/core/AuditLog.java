package io.tribune.api.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.db.AuditLogDao;
import io.tribune.api.logging.RequestIdFilter;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The audit log: who did what to whom, when, in which request. Every admin action and every security event of an
 * account is recorded here, in the transaction of the change it describes (so an entry exists exactly when the
 * change was committed). Other parts of api-server record their admin actions here too:
 *
 * <pre>{@code
 * jdbi.useTransaction(handle -> {
 *     meetings.end(handle, meetingId);
 *     auditLog.record(handle, caller.userId(), "meeting.ended_by_admin", "meeting", meetingId, Map.of());
 * });
 * }</pre>
 *
 * <p>Entries name people by id only; {@code details} must never hold an email address, a name or a secret, so
 * that erasing an account leaves nothing personal here. The request id comes from the serving thread's
 * {@link RequestIdFilter} (none outside requests).
 *
 * <p>Thread-safe.
 */
public final class AuditLog {

    public static final String TARGET_USER = "user";

    // Actions recorded by the accounts code.
    public static final String USER_ROLE_CHANGED = "user.role_changed";
    public static final String USER_DISABLED = "user.disabled";
    public static final String USER_ENABLED = "user.enabled";
    public static final String USER_UPDATED_BY_ADMIN = "user.updated_by_admin";
    public static final String USER_EXPORTED_BY_ADMIN = "user.exported_by_admin";
    public static final String USER_ERASED = "user.erased";
    public static final String USER_PASSWORD_CHANGED = "user.password_changed";
    public static final String USER_PASSWORD_RESET = "user.password_reset";
    public static final String USER_BOOTSTRAP_ADMIN_CREATED = "user.bootstrap_admin_created";
    public static final String SESSION_REFRESH_TOKEN_REUSED = "session.refresh_token_reused";

    private final Clock clock;
    private final ObjectMapper mapper;

    public AuditLog(Clock clock, ObjectMapper mapper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * Appends an entry through {@code handle} (inside the change's transaction when there is a change).
     *
     * @param actorId    the user who acted (a UUID string), or null for the system
     * @param action     what happened, {@code noun.verb_past}: {@code user.role_changed}
     * @param targetType what kind of thing it happened to: {@code user}, {@code meeting}, ...
     * @param targetId   which one
     * @param details    JSON-serialisable specifics (no personal data), may be empty
     */
    public void record(Handle handle, String actorId, String action, String targetType, String targetId,
                       Map<String, ?> details) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        String json;
        try {
            json = mapper.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be JSON-serialisable", e);
        }
        handle.attach(AuditLogDao.class).insert(actorId == null ? null : UUID.fromString(actorId), action,
                targetType, targetId, json, clock.instant(), RequestIdFilter.current().orElse(null));
    }
}
