package io.tribune.api.resources;

import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.UserDirectory;
import io.tribune.api.errors.ApiException;

import java.util.Map;
import java.util.Objects;

/**
 * Completes an authenticated user into a {@link Caller} with the account's email address (invitations by email)
 * and name. Thread-safe.
 */
final class Callers {

    private final UserDirectory users;

    Callers(UserDirectory users) {
        this.users = Objects.requireNonNull(users);
    }

    Caller of(AuthenticatedUser user) {
        UserDirectory.UserProfile profile = users.find(user.userId()).orElseThrow(() -> new ApiException(401,
                "unauthorized", "Your account no longer exists.", Map.of()));
        return new Caller(user.userId(), user.role(), profile.email(), profile.displayName());
    }
}
