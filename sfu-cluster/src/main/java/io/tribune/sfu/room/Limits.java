package io.tribune.sfu.room;

/** Bounds on what one participant may ask of a room. */
final class Limits {

    /** Camera, microphone, screen, and the screen's audio. */
    static final int MAX_PUBLISHED_TRACKS = 4;
    static final int MAX_PREFERENCES = 64;

    private Limits() {
    }
}
