package io.tribune.api.auth;

import java.security.Principal;
import java.time.Instant;

/**
 * The caller of a request, from a verified access token: resources take it as {@code @Auth AuthenticatedUser}
 * (or {@code @Auth Optional<AuthenticatedUser>} where anonymous callers are allowed; there an invalid token
 * counts as anonymous). {@link AccessTokens} makes it. Immutable.
 *
 * @param userId    the account's id
 * @param role      the account's current platform role (a role change applies to tokens already issued)
 * @param tokenId   the access token's {@code jti}, for logout/revocation
 * @param expiresAt when the access token expires
 */
public record AuthenticatedUser(String userId, PlatformRole role, String tokenId, Instant expiresAt)
        implements Principal {

    @Override
    public String getName() {
        return userId;
    }

    public boolean isAdmin() {
        return role == PlatformRole.ADMIN;
    }

    /** True when this caller is {@code userId} or an admin. */
    public boolean isSelfOrAdmin(String otherUserId) {
        return userId.equals(otherUserId) || isAdmin();
    }
}
