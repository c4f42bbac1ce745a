package io.tribune.common.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts only ES256 tokens signed by a key from the {@link KeySource}, from the expected issuer, for the
 * expected audience, inside their validity window (with a small clock-skew leeway). Everything else, including
 * {@code alg: none}, HMAC algorithms and malformed input, is an {@link InvalidTokenException}. Optionally
 * remembers accepted tokens ({@link #cached(int)}). Thread-safe.
 */
public final class TokenVerifier {

    /** Longest token accepted, in characters: longer input is rejected before parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private final KeySource keys;
    private final String issuer;
    private final Clock clock;
    private final Duration leeway;
    private final int cacheCapacity;
    /** audience + '\n' + token -> its verified claims; null when caching is off. */
    private final Map<String, VerifiedToken> cache;

    public TokenVerifier(KeySource keys, String issuer, Clock clock, Duration leeway) {
        this(keys, issuer, clock, leeway, 0);
    }

    private TokenVerifier(KeySource keys, String issuer, Clock clock, Duration leeway, int cacheCapacity) {
        this.keys = Objects.requireNonNull(keys);
        this.issuer = Objects.requireNonNull(issuer);
        this.clock = Objects.requireNonNull(clock);
        this.leeway = Objects.requireNonNull(leeway);
        this.cacheCapacity = cacheCapacity;
        this.cache = cacheCapacity > 0 ? new ConcurrentHashMap<>() : null;
    }

    /**
     * The same verifier, remembering up to {@code capacity} accepted tokens so that a token presented again skips
     * the signature check: an ES256 verification costs about a millisecond of CPU on JDK 17, far more than the
     * rest of a typical API request. A remembered token is still refused once it expires. It stays accepted until
     * then even if its key leaves the {@link KeySource}, so revocation must be checked separately (as access and
     * join tokens are). When full, the cache starts over: memory stays bounded without bookkeeping per hit.
     */
    public TokenVerifier cached(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("cache capacity must be positive");
        }
        return new TokenVerifier(keys, issuer, clock, leeway, capacity);
    }

    public VerifiedToken verify(String token, String audience) throws InvalidTokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("malformed", "token is missing or too long");
        }
        if (cache == null) {
            return verifyUncached(token, audience);
        }
        String key = audience + '\n' + token;
        VerifiedToken remembered = cache.get(key);
        if (remembered != null) {
            if (!clock.instant().isBefore(remembered.expiresAt().plus(leeway))) {
                cache.remove(key);
                throw new InvalidTokenException("expired", "token expired");
            }
            return remembered;
        }
        VerifiedToken verified = verifyUncached(token, audience);
        if (cache.size() >= cacheCapacity) {
            cache.clear();
        }
        cache.put(key, verified);
        return verified;
    }

    private VerifiedToken verifyUncached(String token, String audience) throws InvalidTokenException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidTokenException("malformed", "token is not a signed JWT");
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("algorithm", "algorithm " + jwt.getHeader().getAlgorithm()
                    + " is not accepted");
        }
        String kid = jwt.getHeader().getKeyID();
        ECKey key = kid == null ? null : keys.publicKey(kid).orElse(null);
        if (key == null) {
            throw new InvalidTokenException("unknown_key", "token is signed with an unknown key");
        }
        try {
            if (!jwt.verify(Es256.verifier(key))) {
                throw new InvalidTokenException("signature", "bad signature");
            }
        } catch (JOSEException | IllegalStateException e) {
            throw new InvalidTokenException("signature", "bad signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed", "claims are not valid JSON");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidTokenException("issuer", "wrong issuer");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new InvalidTokenException("audience", "token is not meant for " + audience);
        }
        Instant now = clock.instant();
        Instant expires = instant(claims.getExpirationTime(), "exp");
        Instant issued = instant(claims.getIssueTime(), "iat");
        if (!now.isBefore(expires.plus(leeway))) {
            throw new InvalidTokenException("expired", "token expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(leeway).isBefore(notBefore.toInstant())) {
            throw new InvalidTokenException("not_yet_valid", "token is not valid yet");
        }
        if (claims.getSubject() == null || claims.getJWTID() == null) {
            throw new InvalidTokenException("missing_claim", "token lacks sub or jti");
        }
        Map<String, Object> extra = new HashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (!REGISTERED.contains(name) && value != null) {
                extra.put(name, value);
            }
        });
        return new VerifiedToken(claims.getSubject(), claims.getJWTID(), claims.getAudience(), issued, expires,
                extra);
    }

    private static Instant instant(Date date, String claim) throws InvalidTokenException {
        if (date == null) {
            throw new InvalidTokenException("missing_claim", "token lacks " + claim);
        }
        return date.toInstant();
    }
}
