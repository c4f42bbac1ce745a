package io.tribune.api.db;

import io.tribune.api.core.UserDirectory;
import org.jdbi.v3.core.Jdbi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link UserDirectory} over the {@code users} table: live (not erased) accounts only. Ids that are not UUIDs
 * name no account. Thread-safe ({@link Jdbi} is).
 */
public final class JdbiUserDirectory implements UserDirectory {

    private final Jdbi jdbi;

    public JdbiUserDirectory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<UserProfile> find(String userId) {
        return Optional.ofNullable(findAll(List.of(userId)).get(userId));
    }

    @Override
    public Map<String, UserProfile> findAll(Collection<String> userIds) {
        List<UUID> ids = userIds.stream().map(JdbiUserDirectory::uuid).flatMap(Optional::stream).distinct().toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<UserProfile> found = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT id, username, email FROM users WHERE id IN (<ids>) AND deleted_at IS NULL")
                .bindList("ids", ids)
                .map((rs, ctx) -> new UserProfile(rs.getString("id"), rs.getString("username"),
                        rs.getString("email")))
                .list());
        Map<String, UserProfile> byId = new LinkedHashMap<>();
        found.forEach(profile -> byId.put(profile.userId(), profile));
        return byId;
    }

    private static Optional<UUID> uuid(String value) {
        try {
            UUID parsed = UUID.fromString(value);
            // UUID.fromString accepts shortened forms such as "1-1-1-1-1"; only the canonical one names an account.
            return parsed.toString().equals(value.toLowerCase(Locale.ROOT))
                    ? Optional.of(parsed) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
