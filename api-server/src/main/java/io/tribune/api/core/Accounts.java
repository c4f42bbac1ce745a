package io.tribune.api.core;

import io.tribune.api.api.RegisterRequest;
import io.tribune.api.api.UpdateUserRequest;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.auth.LoginThrottle;
import io.tribune.api.auth.PasswordHasher;
import io.tribune.api.auth.PasswordPolicy;
import io.tribune.api.auth.PlatformRole;
import io.tribune.api.cache.ChangeFeed;
import io.tribune.api.cache.ChangeKind;
import io.tribune.api.db.OneTimeLinkDao;
import io.tribune.api.db.OneTimeLinkRow;
import io.tribune.api.db.UserDao;
import io.tribune.api.db.UserRow;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.UserEvents;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Accounts as their holders manage them: registration, profile and password changes, email verification and
 * password reset. Every change publishes its {@code user.*} event through the outbox in its own transaction.
 * Passwords are hashed outside transactions (they take tens of milliseconds).
 *
 * <p>Thread-safe.
 */
public final class Accounts {

    static final String REVOKED_PASSWORD_CHANGED = "password_changed";
    static final String REVOKED_PASSWORD_RESET = "password_reset";

    private final Jdbi jdbi;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final OneTimeLinks links;
    private final OutboxWriter outbox;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog auditLog;
    private final ChangeFeed changes;

    /** @param changes where profile changes are announced right after their commit (in-memory copies) */
    public Accounts(Jdbi jdbi, Clock clock, PasswordHasher hasher, PasswordPolicy policy, OneTimeLinks links,
                    OutboxWriter outbox, Sessions sessions, LoginThrottle throttle, AuditLog auditLog,
                    ChangeFeed changes) {
        this.changes = Objects.requireNonNull(changes, "changes");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.links = Objects.requireNonNull(links, "links");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /**
     * Creates a {@code member} account and asks for the verification mail.
     *
     * @throws ApiException 422 for a password the policy refuses, 409 for a taken email or username
     */
    public UserRow register(RegisterRequest request) {
        requireAcceptablePassword("password", request.password(), request.username(), request.email());
        String hash = hasher.hash(request.password());
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        try {
            jdbi.useTransaction(handle -> {
                handle.attach(UserDao.class).insert(id, request.username(), request.email(), hash,
                        PlatformRole.MEMBER.wireName(), null, now);
                outbox.append(handle, new UserEvents.Registered(id.toString(), request.username(), request.email()));
                links.requestVerification(handle, id, request.email());
            });
        } catch (RuntimeException e) {
            throw UniqueViolations.conflict(e).orElseThrow(() -> e);
        }
        return find(id).orElseThrow(() -> new IllegalStateException("registered account " + id + " vanished"));
    }

    /** A live (not erased) account. */
    public Optional<UserRow> find(UUID id) {
        return jdbi.withExtension(UserDao.class, users -> users.findLive(id));
    }

    /**
     * Changes username, email and/or password of account {@code id} on behalf of {@code caller} (the account
     * itself or an admin; the caller checks that). A new email address is unverified and gets a verification
     * mail. A password change needs the current password, is for the account holder only, and ends the
     * holder's other sessions.
     *
     * @param callerSession the session of the caller's access token (kept on a password change)
     * @throws ApiException 404, 403 (password of another account, wrong current password), 422, 409, 429 (too
     *                      many wrong current passwords: they count as failed logins)
     */
    public UserRow update(AuthenticatedUser caller, UUID callerSession, UUID id, UpdateUserRequest request,
                          ClientInfo client) {
        UserRow before = find(id).orElseThrow(Accounts::notFound);
        boolean self = caller.userId().equals(id.toString());
        String username = request.username() != null ? request.username() : before.username();
        String email = request.email() != null ? request.email() : before.email();
        String newHash = null;
        if (request.newPassword() != null) {
            if (!self) {
                throw new ApiException(403, "forbidden", "Only the account holder can change its password; "
                        + "use a password reset instead.", Map.of("new_password", "is for the account holder only"));
            }
            checkCurrentPassword(before, request.currentPassword(), client.ipAddress());
            requireAcceptablePassword("new_password", request.newPassword(), username, email);
            newHash = hasher.hash(request.newPassword());
        }
        boolean emailChanged = !email.equalsIgnoreCase(before.email());
        boolean profileChanged = !username.equals(before.username()) || !email.equals(before.email());
        String passwordHash = newHash;
        Instant now = clock.instant();
        try {
            jdbi.useTransaction(handle -> {
                UserDao users = handle.attach(UserDao.class);
                UserRow current = users.lockLive(id).orElseThrow(Accounts::notFound);
                if (passwordHash != null && !current.passwordHash().equals(before.passwordHash())) {
                    throw new ApiException(409, "conflict", "The password was changed meanwhile; try again.");
                }
                List<String> changed = new ArrayList<>();
                if (profileChanged) {
                    users.updateProfile(id, username, email, emailChanged ? null : current.emailVerifiedAt(), now);
                    outbox.append(handle, new UserEvents.Updated(id.toString(), username, email));
                    if (!username.equals(current.username())) {
                        changed.add("username");
                    }
                    if (!email.equals(current.email())) {
                        changed.add("email");
                    }
                }
                if (emailChanged) {
                    handle.attach(OneTimeLinkDao.class).useAll(id, OneTimeLinkDao.VERIFY_EMAIL, now);
                    links.requestVerification(handle, id, email);
                }
                if (passwordHash != null) {
                    users.updatePasswordHash(id, passwordHash, now);
                    changed.add("password");
                    auditLog.record(handle, caller.userId(), AuditLog.USER_PASSWORD_CHANGED, AuditLog.TARGET_USER,
                            id.toString(), Map.of());
                }
                if (!self && !changed.isEmpty()) {
                    auditLog.record(handle, caller.userId(), AuditLog.USER_UPDATED_BY_ADMIN, AuditLog.TARGET_USER,
                            id.toString(), Map.of("fields", changed));
                }
                if (passwordHash != null) {
                    sessions.revokeAll(handle, id, callerSession, REVOKED_PASSWORD_CHANGED); // Redis: last
                }
            });
        } catch (RuntimeException e) {
            throw UniqueViolations.conflict(e).orElseThrow(() -> e);
        } finally {
            changes.announce(ChangeKind.USER, id.toString());
        }
        return find(id).orElseThrow(Accounts::notFound);
    }

    /**
     * Marks the address the link was sent to verified, if it is still the account's address.
     *
     * @throws ApiException 400 {@code invalid_link} for an unknown, used or expired link, or one for an address
     *                      the account no longer has
     */
    public UserRow verifyEmail(String linkId) {
        UUID userId = jdbi.inTransaction(handle -> {
            // Account first, then link: the order erasure locks them in.
            OneTimeLinkRow peeked = links.peek(handle, linkId, OneTimeLinkDao.VERIFY_EMAIL);
            handle.attach(UserDao.class).lockLive(peeked.userId()).orElseThrow(Accounts::invalidLink);
            OneTimeLinkRow link = links.consume(handle, linkId, OneTimeLinkDao.VERIFY_EMAIL);
            if (handle.attach(UserDao.class).markEmailVerified(link.userId(), link.email(), clock.instant()) == 0) {
                throw new ApiException(400, OneTimeLinks.INVALID_LINK,
                        "This link is for an address the account no longer has.");
            }
            return link.userId();
        });
        return find(userId).orElseThrow(Accounts::notFound);
    }

    /** Mails a reset link when an enabled account has this address; does nothing visible otherwise. */
    public void requestPasswordReset(String email) {
        jdbi.useTransaction(handle -> handle.attach(UserDao.class).findLiveByEmail(email)
                .filter(UserRow::isActive)
                .ifPresent(user -> links.requestPasswordReset(handle, user.id(), user.email())));
    }

    /**
     * Sets a new password with a reset link and ends every session of the account. The link proves the holder
     * reads the account's mail, so the address counts as verified afterwards.
     *
     * @throws ApiException 400 {@code invalid_link}, 422 for a password the policy refuses
     */
    public void confirmPasswordReset(String linkId, String newPassword) {
        UserRow user = jdbi.inTransaction(handle -> {
            OneTimeLinkRow link = links.peek(handle, linkId, OneTimeLinkDao.RESET_PASSWORD);
            return handle.attach(UserDao.class).findLive(link.userId()).filter(UserRow::isActive)
                    .orElseThrow(Accounts::invalidLink);
        });
        requireAcceptablePassword("new_password", newPassword, user.username(), user.email());
        String hash = hasher.hash(newPassword);
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            // Account first, then link: the order erasure locks them in.
            UserDao users = handle.attach(UserDao.class);
            UserRow current = users.lockLive(user.id()).filter(UserRow::isActive)
                    .orElseThrow(Accounts::invalidLink);
            OneTimeLinkRow link = links.consume(handle, linkId, OneTimeLinkDao.RESET_PASSWORD);
            if (!link.userId().equals(current.id())) {
                throw invalidLink();
            }
            users.updatePasswordHash(current.id(), hash, now);
            users.markEmailVerified(current.id(), link.email(), now);
            auditLog.record(handle, current.id().toString(), AuditLog.USER_PASSWORD_RESET, AuditLog.TARGET_USER,
                    current.id().toString(), Map.of());
            sessions.revokeAll(handle, current.id(), null, REVOKED_PASSWORD_RESET); // Redis: last
        });
        throttle.clearAccount(user.email());
    }

    private void checkCurrentPassword(UserRow user, String currentPassword, String ip) {
        if (currentPassword == null) {
            throw new ApiException(422, "validation_failed", "The request is invalid: current_password is "
                    + "required to change the password.", Map.of("current_password", "is required to change the "
                    + "password"));
        }
        Duration wait = throttle.retryAfter(user.email(), ip);
        if (!wait.isZero()) {
            throw ApiException.retryAfter(429, "too_many_attempts", "Too many wrong passwords; try again later.",
                    wait, Map.of());
        }
        if (!hasher.verify(currentPassword, user.passwordHash())) {
            throttle.recordFailure(user.email(), ip);
            throw new ApiException(403, "wrong_password", "The current password is wrong.",
                    Map.of("current_password", "does not match"));
        }
    }

    private void requireAcceptablePassword(String field, String password, String username, String email) {
        policy.problem(password, username, email).ifPresent(problem -> {
            throw new ApiException(422, "validation_failed", "The request is invalid: " + field + " " + problem
                    + ".", Map.of(field, problem));
        });
    }

    static ApiException notFound() {
        return new ApiException(404, "user_not_found", "No such user.");
    }

    private static ApiException invalidLink() {
        return new ApiException(400, OneTimeLinks.INVALID_LINK,
                "This link is invalid, was used already or has expired.");
    }
}
