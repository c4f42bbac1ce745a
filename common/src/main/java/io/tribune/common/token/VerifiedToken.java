package io.tribune.common.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The claims of a token whose signature, issuer, audience and times were checked. Immutable. */
public record VerifiedToken(String subject, String id, List<String> audience, Instant issuedAt, Instant expiresAt,
                            Map<String, Object> claims) {

    public VerifiedToken {
        audience = List.copyOf(audience);
        claims = Map.copyOf(claims);
    }

    /** A string claim, or null. */
    public String string(String name) {
        Object value = claims.get(name);
        return value instanceof String s ? s : null;
    }

    /** A list-of-strings claim, or an empty list. */
    public List<String> strings(String name) {
        Object value = claims.get(name);
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
