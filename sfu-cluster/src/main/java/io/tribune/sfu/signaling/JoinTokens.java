package io.tribune.sfu.signaling;

import io.tribune.common.token.InvalidTokenException;
import io.tribune.common.token.TokenVerifier;
import io.tribune.common.token.VerifiedToken;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies join tokens offline (ES256 against the api-server's public keys, audience {@code sfu}, issuer, expiry)
 * and accepts each token once (DECISIONS: a join token opens one connection): a token id seen before is refused
 * until the token would have expired anyway.
 *
 * <p>Thread-safe.
 */
public final class JoinTokens {

    public static final String AUDIENCE = "sfu";
    /** Bound on remembered token ids; join tokens live 2 minutes, so this is thousands of joins per second. */
    private static final int MAX_REMEMBERED = 200_000;

    private final TokenVerifier verifier;
    private final Clock clock;
    private final Map<String, Instant> used = new ConcurrentHashMap<>();
    private final BiPredicate<String, String> revoked;

    public JoinTokens(TokenVerifier verifier, Clock clock) {
        this(verifier, clock, (room, subject) -> false);
    }

    /** @param revoked whether (room, subject) was removed from the meeting by a host (the api-server's Redis set) */
    public JoinTokens(TokenVerifier verifier, Clock clock, BiPredicate<String, String> revoked) {
        this.verifier = verifier;
        this.clock = clock;
        this.revoked = revoked;
    }

    public JoinGrant verify(String token) throws InvalidTokenException {
        VerifiedToken verified = verifier.verify(token, AUDIENCE);
        String room = verified.string("room");
        if (room == null || room.isEmpty() || room.length() > 128) {
            throw new InvalidTokenException("missing_claim", "token lacks the room claim");
        }
        if (revoked.test(room, verified.subject())) {
            throw new InvalidTokenException("revoked", "you were removed from this meeting");
        }
        String role = verified.string("role");
        String name = verified.string("name");
        forgetExpired();
        if (used.putIfAbsent(verified.id(), verified.expiresAt()) != null) {
            throw new InvalidTokenException("replayed", "join token was already used");
        }
        return new JoinGrant(verified.subject(), room, role == null ? "participant" : role,
                name == null ? verified.subject() : name, new HashSet<>(verified.strings("permissions")));
    }

    private void forgetExpired() {
        if (used.size() < MAX_REMEMBERED / 2) {
            return;
        }
        Instant now = clock.instant();
        used.values().removeIf(expires -> expires.isBefore(now.minusSeconds(300)));
    }
}
