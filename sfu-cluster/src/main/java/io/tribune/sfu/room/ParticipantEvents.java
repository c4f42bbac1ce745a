package io.tribune.sfu.room;

import java.util.List;
import java.util.Map;

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

    /**
     * The simulcast layer this participant receives of a track changed (the switch happened at a key frame).
     * Called from the participant's send pipeline (on whichever thread runs it), without the room's lock.
     *
     * @param layer {@code low}, {@code medium} or {@code high}
     * @param width pixels of the new layer as the node last saw them, 0 when unknown
     * @param height pixels, 0 when unknown
     */
    default void layerChanged(String trackId, String layer, int width, int height) {
    }

    /** The room's dominant speaker changed (last-N follows it). */
    default void activeSpeaker(String participantId) {
    }

    /** Who is speaking now, loudest first, each with a level from 0 to 1; sent when it changes. */
    default void speaking(List<Map.Entry<String, Double>> speakers) {
    }

    /**
     * The node stopped ({@code paused}) or resumed forwarding a track this participant receives.
     *
     * @param reason {@code last_n}: the publisher is not among this subscriber's last-N speakers
     */
    default void trackPaused(String participantId, String trackId, boolean paused, String reason) {
    }

    /** The room removed this participant (its media died, or it joined again elsewhere); close the connection. */
    void removed(String reason);
}
