package io.tribune.common.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Signs ES256 JWTs: {@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code nbf}, {@code exp} and a random
 * {@code jti} (for one-time use and revocation), plus caller claims. Thread-safe.
 */
public final class TokenIssuer {

    private final SigningKeys keys;
    private final String issuer;
    private final Clock clock;

    public TokenIssuer(SigningKeys keys, String issuer, Clock clock) {
        this.keys = Objects.requireNonNull(keys);
        this.issuer = Objects.requireNonNull(issuer);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A signed token for {@code subject}, accepted by {@code audiences}, valid for {@code ttl} from now. */
    public IssuedToken issue(String subject, List<String> audiences, Duration ttl, Map<String, Object> claims) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String id = UUID.randomUUID().toString();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audiences)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(id);
        claims.forEach(builder::claim);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(keys.current().getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, builder.build());
        try {
            jwt.sign(Es256.signer(keys.current()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return new IssuedToken(jwt.serialize(), id, expires);
    }

    /** A compact token with its id and expiry. */
    public record IssuedToken(String token, String id, Instant expiresAt) {
    }
}
