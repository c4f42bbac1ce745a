package io.tribune.api.db;

import io.tribune.api.auth.PlatformRole;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code users}. {@code username}, {@code email} and {@code passwordHash} are null once the account is
 * erased ({@code deletedAt} set). Immutable; never sent to clients as is.
 */
public record UserRow(UUID id, String username, String email, String passwordHash, String role, boolean disabled,
                      Instant emailVerifiedAt, Instant createdAt, Instant updatedAt, Instant deletedAt) {

    public PlatformRole platformRole() {
        return PlatformRole.parse(role);
    }

    /** Neither erased nor disabled: may log in and use its tokens. */
    public boolean isActive() {
        return deletedAt == null && !disabled;
    }

    public boolean isEmailVerified() {
        return emailVerifiedAt != null;
    }
}
