package io.tribune.api.core;

import io.tribune.api.cache.NearCache;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link UserDirectory} that keeps single-account lookups in a {@link NearCache} (every authenticated meeting
 * request completes its caller with one), evicted when the account changes. Lookups of many accounts go to the
 * directory underneath. Thread-safe.
 */
public final class CachedUserDirectory implements UserDirectory {

    private final UserDirectory source;
    private final NearCache<UserProfile> cache;

    public CachedUserDirectory(UserDirectory source, NearCache<UserProfile> cache) {
        this.source = Objects.requireNonNull(source);
        this.cache = Objects.requireNonNull(cache);
    }

    @Override
    public Optional<UserProfile> find(String userId) {
        return Optional.ofNullable(cache.get(userId, id -> source.find(id).orElse(null)));
    }

    @Override
    public Map<String, UserProfile> findAll(Collection<String> userIds) {
        return source.findAll(userIds);
    }
}
