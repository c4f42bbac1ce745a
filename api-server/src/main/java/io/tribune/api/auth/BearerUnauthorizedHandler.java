package io.tribune.api.auth;

import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The answer to a request without a valid access token: 401 with {@code WWW-Authenticate: Bearer realm="..."}
 * (RFC 6750 §3). The exception carries no entity, so {@link io.tribune.api.errors.WebApplicationExceptionMapper}
 * turns it into the usual JSON error ({@code {"code":"unauthorized",...}}) and keeps the header. Stateless.
 */
public final class BearerUnauthorizedHandler implements UnauthorizedHandler {

    static final String MESSAGE = "A valid access token is required (Authorization: Bearer <token>).";

    @Override
    public Response buildResponse(String prefix, String realm) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                .build();
    }

    @Override
    public RuntimeException buildException(String prefix, String realm) {
        return new WebApplicationException(MESSAGE, buildResponse(prefix, realm));
    }
}
