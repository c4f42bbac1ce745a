package io.tribune.sfu.room;

/** A published track as the other participants learn of it. Immutable. */
public record TrackInfo(String trackId, String participantId, String kind, TrackSource source, boolean muted) {
}
