package io.tribune.api.core;

import java.util.Locale;
import java.util.Optional;

/**
 * What a meeting is: an interactive {@code meeting} on the SFU, or a {@code town_hall} broadcast over HLS.
 * Immutable.
 */
public enum MeetingKind {
    MEETING, TOWN_HALL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MeetingKind> parse(String value) {
        for (MeetingKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
