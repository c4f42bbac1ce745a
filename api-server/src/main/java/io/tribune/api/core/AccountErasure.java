package io.tribune.api.core;

import io.tribune.api.auth.AccessState;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.db.OneTimeLinkDao;
import io.tribune.api.db.SessionDao;
import io.tribune.api.db.UserDao;
import io.tribune.api.db.UserRow;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.UserEvents;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Erases an account (GDPR Art. 17), in one transaction: the registered {@link UserErasureListener}s cancel or
 * hand over what it owns; its sessions, refresh tokens and one-time links are deleted; its row loses username,
 * email and password hash (the id stays, so references elsewhere remain valid); {@code user.deleted} is
 * published; the audit log records who erased it. Its access tokens stop working at once. The last enabled
 * admin cannot be erased.
 *
 * <p>Thread-safe.
 */
public final class AccountErasure {

    static final String REVOKED_ERASED = "erased";

    private final Jdbi jdbi;
    private final Clock clock;
    private final UserDataHooks hooks;
    private final OutboxWriter outbox;
    private final AccessState accessState;
    private final AuditLog auditLog;

    public AccountErasure(Jdbi jdbi, Clock clock, UserDataHooks hooks, OutboxWriter outbox, AccessState accessState,
                          AuditLog auditLog) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.accessState = Objects.requireNonNull(accessState, "accessState");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /**
     * @throws ApiException 404 when there is no such live account, 409 {@code last_admin} for the last enabled
     *                      admin
     */
    public void erase(AuthenticatedUser caller, UUID userId) {
        Instant now = clock.instant();
        UUID actor = UUID.fromString(caller.userId());
        jdbi.useTransaction(handle -> {
            UserDao users = handle.attach(UserDao.class);
            // Admins first, then the account: the same order as AdminAccounts, so the two cannot deadlock.
            List<UUID> admins = users.lockActiveAdmins();
            UserRow user = users.lockLive(userId).orElseThrow(Accounts::notFound);
            if (admins.size() == 1 && admins.contains(userId)) {
                throw AdminAccounts.lastAdmin();
            }
            for (UserErasureListener listener : hooks.erasureListeners()) {
                listener.onErase(handle, userId, actor);
            }
            SessionDao sessions = handle.attach(SessionDao.class);
            List<UUID> revoked = sessions.revokeAll(userId, now, REVOKED_ERASED);
            sessions.deleteForUser(userId);
            handle.attach(OneTimeLinkDao.class).deleteForUser(userId);
            users.erase(userId, now);
            outbox.append(handle, new UserEvents.Deleted(userId.toString()));
            auditLog.record(handle, caller.userId(), AuditLog.USER_ERASED, AuditLog.TARGET_USER, userId.toString(),
                    Map.of("by", actor.equals(userId) ? "self" : "admin"));
            // Redis last: if it refuses, nothing above is committed.
            accessState.sessionsRevoked(revoked);
            accessState.accountChanged(userId, user.platformRole(), false);
        });
    }
}
