package io.tribune.api.core;

import io.tribune.api.auth.PlatformRole;

import java.util.Objects;

/**
 * A signed-in person making a request, with what meeting rules need beyond the token: their email address (to
 * match invitations by email) and display name. Immutable.
 */
public record Caller(String userId, PlatformRole platformRole, String email, String displayName) {

    public Caller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(platformRole, "platformRole");
        if (displayName == null || displayName.isBlank()) {
            displayName = userId;
        }
    }

    public boolean isAdmin() {
        return platformRole == PlatformRole.ADMIN;
    }

    /** Town halls may be scheduled by platform hosts and admins only. */
    public boolean mayHostTownHalls() {
        return platformRole == PlatformRole.ADMIN || platformRole == PlatformRole.HOST;
    }
}
