package io.tribune.api.core;

import java.util.Locale;

/** A meeting is {@code scheduled} until its host cancels it; cancelled ones are kept for calendars. Immutable. */
public enum MeetingStatus {
    SCHEDULED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MeetingStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
