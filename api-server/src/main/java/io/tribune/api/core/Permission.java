package io.tribune.api.core;

import java.util.Locale;

/**
 * What a join token lets its holder do once connected, checked by the SFU and the meeting channel:
 * {@code publish} audio/video, {@code subscribe} to others, {@code screenshare}, {@code chat}, {@code moderate}
 * (mute, remove, admit, lock) and {@code record}. Immutable.
 */
public enum Permission {
    PUBLISH, SUBSCRIBE, SCREENSHARE, CHAT, MODERATE, RECORD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
