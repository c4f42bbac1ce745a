package io.tribune.sfu.room;

/**
 * What a room tells one participant's client (the signaling connection implements it). Called with the room's
 * lock held, from signaling, ICE/DTLS or scheduler threads: implementations must not block and must not call
 * back into the room.
 */
public interface ParticipantEvents {

    void participantJoined(ParticipantInfo participant);

    /** @param reason {@code left}, {@code disconnected}, {@code media_failed}, {@code replaced} */
    void participantLeft(String participantId, String reason);

    void trackPublished(TrackInfo track);

    void trackUnpublished(String participantId, String trackId);

    void trackMuted(String participantId, String trackId, boolean muted);

    /** The room removed this participant (its media died, or it joined again elsewhere); close the connection. */
    void removed(String reason);
}
