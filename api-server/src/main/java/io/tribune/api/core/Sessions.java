package io.tribune.api.core;

import io.tribune.api.api.LoginResponse;
import io.tribune.api.auth.AccessState;
import io.tribune.api.auth.AccessTokens;
import io.tribune.api.auth.LoginThrottle;
import io.tribune.api.auth.OpaqueTokens;
import io.tribune.api.auth.PasswordHasher;
import io.tribune.api.auth.PlatformRole;
import io.tribune.api.db.RefreshTokenRow;
import io.tribune.api.db.SessionDao;
import io.tribune.api.db.UserDao;
import io.tribune.api.db.UserRow;
import io.tribune.api.errors.ApiException;
import io.tribune.common.token.TokenIssuer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Login sessions: login (password to access + refresh token), refresh (rotation with reuse detection) and
 * logout.
 *
 * <p>A session is a refresh-token family. Each refresh consumes the presented token and issues the next one of
 * the family; presenting a consumed token again means two parties hold it (a stolen token, or a client that
 * lost the answer), so the whole family is revoked (OAuth 2.0 Security BCP, RFC 9700 §4.14.2) and both have to
 * log in again. Revoking a session also ends its access tokens at once (see {@link AccessState}).
 *
 * <p>Thread-safe.
 */
public final class Sessions {

    public static final String INVALID_CREDENTIALS = "invalid_credentials";
    public static final String INVALID_REFRESH_TOKEN = "invalid_refresh_token";
    public static final String REFRESH_TOKEN_REUSED = "refresh_token_reused";

    // sessions.revoked_reason values
    static final String REVOKED_LOGOUT = "logout";
    static final String REVOKED_REUSE = "refresh_token_reuse";

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AccessTokens accessTokens;
    private final AccessState accessState;
    private final AuditLog auditLog;
    private final Duration refreshTtl;

    public Sessions(Jdbi jdbi, Clock clock, PasswordHasher hasher, LoginThrottle throttle, AccessTokens accessTokens,
                    AccessState accessState, AuditLog auditLog, Duration refreshTtl) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.accessTokens = Objects.requireNonNull(accessTokens, "accessTokens");
        this.accessState = Objects.requireNonNull(accessState, "accessState");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.refreshTtl = Objects.requireNonNull(refreshTtl, "refreshTtl");
    }

    /**
     * Checks the password and opens a session.
     *
     * @throws ApiException 429 {@code too_many_attempts} while the account or the IP address is throttled;
     *                      401 {@code invalid_credentials} for an unknown address or a wrong password (one answer
     *                      for both, in about the same time); 403 {@code account_disabled} for the right password
     *                      of a disabled account
     */
    public LoginResponse login(String email, String password, ClientInfo client) {
        Duration wait = throttle.retryAfter(email, client.ipAddress());
        if (!wait.isZero()) {
            throw ApiException.retryAfter(429, "too_many_attempts",
                    "Too many failed logins; try again later.", wait, Map.of());
        }
        Optional<UserRow> found = jdbi.withExtension(UserDao.class, users -> users.findLiveByEmail(email));
        boolean matches = found.isPresent()
                ? hasher.verify(password, found.get().passwordHash())
                : hasher.verifyDecoy(password);
        if (!matches) {
            throttle.recordFailure(email, client.ipAddress());
            throw invalidCredentials();
        }
        UserRow user = found.get();
        if (user.disabled()) {
            throw new ApiException(403, "account_disabled", "This account is disabled.");
        }
        throttle.clearAccount(email);
        String rehashed = hasher.needsRehash(user.passwordHash()) ? hasher.hash(password) : null;
        UUID sessionId = UUID.randomUUID();
        String refreshToken = OpaqueTokens.newSecret();
        Instant now = clock.instant();
        PlatformRole role = jdbi.inTransaction(handle -> {
            // Locked against a concurrent disable or erasure: either it sees this session and revokes it, or
            // this login sees the account disabled.
            UserRow current = handle.attach(UserDao.class).shareLockLive(user.id())
                    .filter(UserRow::isActive)
                    .filter(row -> row.passwordHash().equals(user.passwordHash()))
                    .orElseThrow(Sessions::invalidCredentials);
            if (rehashed != null) {
                handle.attach(UserDao.class).updatePasswordHash(user.id(), rehashed, now);
            }
            SessionDao sessions = handle.attach(SessionDao.class);
            sessions.insertSession(sessionId, user.id(), now, now.plus(refreshTtl), client.userAgent(),
                    client.ipAddress());
            sessions.insertRefreshToken(OpaqueTokens.hash(refreshToken), sessionId, now, now.plus(refreshTtl));
            return current.platformRole();
        });
        return response(user.id(), role, sessionId, refreshToken);
    }

    /**
     * Exchanges a refresh token for a new access token and the next refresh token of its family.
     *
     * @throws ApiException 401 {@code invalid_refresh_token} when it is unknown, expired, of a revoked session or
     *                      of a disabled account; 401 {@code refresh_token_reused} when it was used before (the
     *                      session is revoked)
     */
    public LoginResponse refresh(String refreshToken) {
        byte[] hash = OpaqueTokens.hash(refreshToken);
        String next = OpaqueTokens.newSecret();
        Instant now = clock.instant();
        Refreshed refreshed = jdbi.inTransaction(handle -> {
            SessionDao sessions = handle.attach(SessionDao.class);
            Optional<RefreshTokenRow> unlocked = sessions.findRefreshToken(hash);
            if (unlocked.isEmpty()) {
                return null;
            }
            // Account first, then session: the order every change that revokes sessions locks them in (a disable
            // locks the account, then updates its sessions), so the two cannot deadlock.
            Optional<UserRow> user = handle.attach(UserDao.class).shareLockLive(unlocked.get().userId());
            Optional<RefreshTokenRow> found = sessions.lockRefreshToken(hash);
            if (found.isEmpty()) {
                return null;
            }
            RefreshTokenRow token = found.get();
            if (token.rotatedAt() != null) {
                if (token.sessionRevokedAt() == null) {
                    revokeReused(handle, token);
                }
                return Refreshed.REUSED;
            }
            if (token.sessionRevokedAt() != null || !now.isBefore(token.expiresAt())
                    || user.filter(UserRow::isActive).isEmpty()) {
                return null;
            }
            sessions.markRotated(hash, now);
            sessions.insertRefreshToken(OpaqueTokens.hash(next), token.sessionId(), now, now.plus(refreshTtl));
            sessions.touch(token.sessionId(), now, now.plus(refreshTtl));
            return new Refreshed(token.userId(), user.get().platformRole(), token.sessionId());
        });
        if (refreshed == null) {
            throw new ApiException(401, INVALID_REFRESH_TOKEN,
                    "The refresh token is invalid or expired, or its session has ended; log in again.");
        }
        if (refreshed == Refreshed.REUSED) {
            throw new ApiException(401, REFRESH_TOKEN_REUSED,
                    "This refresh token was used before; the session has been ended for safety. Log in again.");
        }
        return response(refreshed.userId(), refreshed.role(), refreshed.sessionId(), next);
    }

    /** Ends the session (its refresh tokens and access tokens). Idempotent. */
    public void logout(UUID sessionId) {
        jdbi.useTransaction(handle -> handle.attach(SessionDao.class)
                .revoke(sessionId, clock.instant(), REVOKED_LOGOUT)
                .ifPresent(id -> accessState.sessionsRevoked(List.of(id))));
    }

    /**
     * Revokes every live session of the account except {@code keep} (null: all), in the caller's transaction,
     * and records the revocations for access-token checks (as the transaction's last Redis step: call it after
     * the other changes).
     */
    public List<UUID> revokeAll(Handle handle, UUID userId, UUID keep, String reason) {
        SessionDao sessions = handle.attach(SessionDao.class);
        Instant now = clock.instant();
        List<UUID> revoked = keep == null
                ? sessions.revokeAll(userId, now, reason)
                : sessions.revokeAllBut(userId, keep, now, reason);
        accessState.sessionsRevoked(revoked);
        return revoked;
    }

    private void revokeReused(Handle handle, RefreshTokenRow token) {
        LOG.warn("Refresh token reuse in session {} of user {}; revoking the session", token.sessionId(),
                token.userId());
        handle.attach(SessionDao.class).revoke(token.sessionId(), clock.instant(), REVOKED_REUSE);
        auditLog.record(handle, null, AuditLog.SESSION_REFRESH_TOKEN_REUSED, AuditLog.TARGET_USER,
                token.userId().toString(), Map.of("session_id", token.sessionId().toString()));
        accessState.sessionsRevoked(List.of(token.sessionId()));
    }

    private LoginResponse response(UUID userId, PlatformRole role, UUID sessionId, String refreshToken) {
        TokenIssuer.IssuedToken access = accessTokens.issue(userId, role, sessionId);
        return new LoginResponse(access.token(), LoginResponse.BEARER, accessTokens.ttl().toSeconds(),
                userId.toString(), refreshToken, refreshTtl.toSeconds());
    }

    private static ApiException invalidCredentials() {
        return new ApiException(401, INVALID_CREDENTIALS, "The email address or password is wrong.");
    }

    /** The outcome of a refresh transaction; {@link #REUSED} is a marker. */
    private record Refreshed(UUID userId, PlatformRole role, UUID sessionId) {
        static final Refreshed REUSED = new Refreshed(null, null, null);
    }
}
