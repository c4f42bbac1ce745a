package io.tribune.api.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Authenticates {@code Authorization: Bearer <token>} and nothing else. Dropwizard's OAuthCredentialAuthFilter
 * also takes the token from an {@code ?access_token=} query parameter, where it would end up in access logs,
 * browser history and Referer headers; this filter never looks there. Stateless and thread-safe.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerHeaderAuthFilter extends AuthFilter<String, AuthenticatedUser> {

    private BearerHeaderAuthFilter() {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!authenticate(request, token(request.getHeaderString(HttpHeaders.AUTHORIZATION)), "Bearer")) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    /** The token of a {@code <prefix> <token>} header value (prefix case-insensitive), or null. */
    private String token(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space <= 0 || !header.substring(0, space).equalsIgnoreCase(prefix)) {
            return null;
        }
        String token = header.substring(space + 1).trim();
        return token.isEmpty() ? null : token;
    }

    /** Builds the filter; set authenticator, authorizer, prefix, realm and unauthorized handler as usual. */
    public static final class Builder extends AuthFilterBuilder<String, AuthenticatedUser, BearerHeaderAuthFilter> {
        @Override
        protected BearerHeaderAuthFilter newInstance() {
            return new BearerHeaderAuthFilter();
        }
    }
}
