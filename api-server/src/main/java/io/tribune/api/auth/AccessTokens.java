package io.tribune.api.auth;

import io.dropwizard.auth.Authenticator;
import io.tribune.common.token.InvalidTokenException;
import io.tribune.common.token.TokenIssuer;
import io.tribune.common.token.TokenVerifier;
import io.tribune.common.token.VerifiedToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * ES256 access tokens for the REST API: {@code aud} {@value #AUDIENCE}, {@code sub} the user id, {@code sid} the
 * login session, {@code role} the platform role at issue time, valid {@code auth.accessTokenTtl} (15 minutes).
 *
 * <p>A token is accepted when {@link TokenVerifier} accepts it (signature by one of our keys, issuer, audience,
 * {@code exp}/{@code nbf} with the clock skew) and {@link AccessState} says its session is live and its account
 * enabled. The caller's role is the account's current one, not the claim, so a demotion takes effect at once.
 * This is the {@link Authenticator} behind {@code @Auth AuthenticatedUser}.
 *
 * <p>Thread-safe.
 */
public final class AccessTokens implements Authenticator<String, AuthenticatedUser> {

    public static final String AUDIENCE = "api";
    public static final String ROLE_CLAIM = "role";
    public static final String SESSION_CLAIM = "sid";
    private static final String BEARER = "Bearer ";

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);

    /** An accepted token: the caller and the session it belongs to. Immutable. */
    public record Grant(AuthenticatedUser user, UUID sessionId) {
    }

    private final TokenIssuer issuer;
    private final TokenVerifier verifier;
    private final AccessState state;
    private final Duration ttl;

    public AccessTokens(TokenIssuer issuer, TokenVerifier verifier, AccessState state, Duration ttl) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.state = Objects.requireNonNull(state, "state");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /** How long a new access token is valid. */
    public Duration ttl() {
        return ttl;
    }

    /** A new access token for the account in this session. */
    public TokenIssuer.IssuedToken issue(UUID userId, PlatformRole role, UUID sessionId) {
        return issuer.issue(userId.toString(), List.of(AUDIENCE), ttl,
                Map.of(ROLE_CLAIM, role.wireName(), SESSION_CLAIM, sessionId.toString()));
    }

    /** The caller and session of a valid, unrevoked token of an enabled account; empty otherwise. */
    public Optional<Grant> verify(String token) {
        VerifiedToken verified;
        try {
            verified = verifier.verify(token, AUDIENCE);
        } catch (InvalidTokenException e) {
            LOG.debug("Access token refused ({}): {}", e.reason(), e.getMessage());
            return Optional.empty();
        }
        Optional<UUID> userId = uuid(verified.subject());
        Optional<UUID> sessionId = uuid(verified.string(SESSION_CLAIM));
        if (userId.isEmpty() || sessionId.isEmpty()) {
            LOG.debug("Access token refused: sub or sid is not a UUID");
            return Optional.empty();
        }
        return state.currentRole(userId.get(), sessionId.get())
                .map(role -> new Grant(new AuthenticatedUser(userId.get().toString(), role, verified.id(),
                        verified.expiresAt()), sessionId.get()));
    }

    /** As {@link #verify} for an {@code Authorization} header value ({@code Bearer <token>}). */
    public Optional<Grant> verifyHeader(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return verify(authorization.substring(BEARER.length()).strip());
    }

    @Override
    public Optional<AuthenticatedUser> authenticate(String token) {
        return verify(token).map(Grant::user);
    }

    private static Optional<UUID> uuid(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
