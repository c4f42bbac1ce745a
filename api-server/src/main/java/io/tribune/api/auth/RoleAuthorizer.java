package io.tribune.api.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * {@code @RolesAllowed("admin")} and friends: the caller's platform role must be the one named (wire name:
 * {@code admin}, {@code host}, {@code member}). Stateless and thread-safe.
 */
public final class RoleAuthorizer implements Authorizer<AuthenticatedUser> {

    @Override
    public boolean authorize(AuthenticatedUser principal, String role, ContainerRequestContext requestContext) {
        return principal.role() != null && principal.role().wireName().equals(role);
    }
}
