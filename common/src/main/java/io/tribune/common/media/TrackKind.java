package io.tribune.common.media;

/** What a track carries; the wire value is {@link #code()}. */
public enum TrackKind {
    VIDEO(1),
    AUDIO(2);

    private final int code;

    TrackKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a wire value, or null for an unknown one. */
    public static TrackKind of(int code) {
        for (TrackKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
