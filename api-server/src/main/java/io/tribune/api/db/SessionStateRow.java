package io.tribune.api.db;

/**
 * What an access token's validity depends on besides its signature: whether its session is live, the account's
 * role, and whether the account is disabled or erased. Immutable.
 */
public record SessionStateRow(boolean sessionRevoked, String role, boolean accountInactive) {
}
