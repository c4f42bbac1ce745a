package io.tribune.sfu.room;

import java.util.Locale;
import java.util.Optional;

/** What a published track carries; screen share is a video track of its own, beside the camera. Immutable. */
public enum TrackSource {
    MICROPHONE("audio"), CAMERA("video"), SCREEN("video");

    private final String kind;

    TrackSource(String kind) {
        this.kind = kind;
    }

    /** The SDP media kind: audio or video. */
    public String kind() {
        return kind;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TrackSource> parse(String wireName) {
        for (TrackSource source : values()) {
            if (source.wireName().equals(wireName)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
