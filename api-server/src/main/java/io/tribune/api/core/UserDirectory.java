package io.tribune.api.core;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** What meetings need to know about accounts: names and email addresses. Implementations are thread-safe. */
public interface UserDirectory {

    /** An account as invites and rosters show it. */
    record UserProfile(String userId, String displayName, String email) {
    }

    Optional<UserProfile> find(String userId);

    /** The accounts among {@code userIds} that exist, by id. */
    Map<String, UserProfile> findAll(Collection<String> userIds);
}
