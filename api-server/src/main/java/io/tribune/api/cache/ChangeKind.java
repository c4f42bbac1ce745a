package io.tribune.api.cache;

import java.util.Optional;

/** What a change announcement is about; its wire name is the payload's prefix ({@code meeting:<id>}). */
public enum ChangeKind {
    /** A meeting, its invitees or its occurrence overrides; the id is the meeting id. */
    MEETING("meeting"),
    /** An account (profile, role, disabled, erased); the id is the user id. */
    USER("user"),
    /** A login session (revoked, refreshed, deleted); the id is the session id. */
    SESSION("session");

    private final String wireName;

    ChangeKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static Optional<ChangeKind> parse(String wireName) {
        for (ChangeKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
