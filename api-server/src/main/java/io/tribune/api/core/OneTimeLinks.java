package io.tribune.api.core;

import io.tribune.api.auth.OpaqueTokens;
import io.tribune.api.db.OneTimeLinkDao;
import io.tribune.api.db.OneTimeLinkRow;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.UserEvents;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One-time links for email verification and password reset. A link id is 256 random bits; it goes to the mailer
 * inside a {@code user.verification_requested} / {@code user.password_reset_requested} event (through the
 * outbox, in the caller's transaction) and is stored only as its SHA-256, with the address it was sent to and
 * an expiry. Using a link consumes it and every other unused link of the account for the same purpose.
 *
 * <p>Thread-safe (stateless apart from its collaborators).
 */
public final class OneTimeLinks {

    static final String INVALID_LINK = "invalid_link";

    private final Clock clock;
    private final OutboxWriter outbox;
    private final Duration verificationTtl;
    private final Duration resetTtl;

    public OneTimeLinks(Clock clock, OutboxWriter outbox, Duration verificationTtl, Duration resetTtl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.verificationTtl = Objects.requireNonNull(verificationTtl, "verificationTtl");
        this.resetTtl = Objects.requireNonNull(resetTtl, "resetTtl");
    }

    /** Creates a verification link for {@code email} and asks for the mail. Inside the caller's transaction. */
    public void requestVerification(Handle handle, UUID userId, String email) {
        String linkId = create(handle, userId, OneTimeLinkDao.VERIFY_EMAIL, email, verificationTtl);
        outbox.append(handle, new UserEvents.VerificationRequested(userId.toString(), email, linkId));
    }

    /** Creates a password-reset link and asks for the mail. Inside the caller's transaction. */
    public void requestPasswordReset(Handle handle, UUID userId, String email) {
        String linkId = create(handle, userId, OneTimeLinkDao.RESET_PASSWORD, email, resetTtl);
        outbox.append(handle, new UserEvents.PasswordResetRequested(userId.toString(), email, linkId));
    }

    /**
     * The link's row when it exists for {@code purpose}, is unused and unexpired, without consuming it (to
     * check a new password against the account before hashing it outside the transaction).
     *
     * @throws ApiException 400 {@code invalid_link} otherwise
     */
    public OneTimeLinkRow peek(Handle handle, String linkId, String purpose) {
        return usable(handle.attach(OneTimeLinkDao.class).find(OpaqueTokens.hash(linkId), purpose).orElse(null));
    }

    /**
     * Consumes the link (locking it, so it is used once even when presented twice at the same time) and every
     * other unused link of the account for the same purpose.
     *
     * @throws ApiException 400 {@code invalid_link} when it is unknown, used or expired
     */
    public OneTimeLinkRow consume(Handle handle, String linkId, String purpose) {
        OneTimeLinkDao links = handle.attach(OneTimeLinkDao.class);
        OneTimeLinkRow link = usable(links.lock(OpaqueTokens.hash(linkId), purpose).orElse(null));
        links.useAll(link.userId(), purpose, clock.instant());
        return link;
    }

    private OneTimeLinkRow usable(OneTimeLinkRow link) {
        if (link == null || link.usedAt() != null || !clock.instant().isBefore(link.expiresAt())) {
            // One answer for unknown, used and expired: the holder of a stale link learns nothing more.
            throw new ApiException(400, INVALID_LINK, "This link is invalid, was used already or has expired.");
        }
        return link;
    }

    private String create(Handle handle, UUID userId, String purpose, String email, Duration ttl) {
        String linkId = OpaqueTokens.newSecret();
        Instant now = clock.instant();
        handle.attach(OneTimeLinkDao.class).insert(OpaqueTokens.hash(linkId), userId, purpose, email, now,
                now.plus(ttl));
        return linkId;
    }
}
