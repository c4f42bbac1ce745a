package io.tribune.api.resources;

import io.tribune.common.token.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/v1/.well-known/jwks.json}: the public halves of the token signing keys (RFC 7517), for services
 * that verify api-server's tokens offline (the SFU, the meeting channel). Public; cacheable for 5 minutes, so a
 * rotated-in key must be published that long before it signs. Thread-safe.
 */
@Path(ApiPaths.V1 + "/.well-known/jwks.json")
@Produces(MediaType.APPLICATION_JSON)
public final class JwksResource {

    static final int MAX_AGE_SECONDS = 300;

    private final String jwks;

    public JwksResource(SigningKeys keys) {
        // Serialised once: the keys of a running instance do not change.
        this.jwks = keys.publicJwks().toString(true);
    }

    @GET
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(MAX_AGE_SECONDS);
        return Response.ok(jwks, MediaType.APPLICATION_JSON_TYPE).cacheControl(cache).build();
    }
}
