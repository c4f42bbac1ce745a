package io.tribune.sfu.room;

/**
 * What a node's rooms decide about speakers and video: the default last-N, the audio level that counts as
 * speech, and the dominant speaker detector's tuning. Immutable.
 *
 * @param lastN the number of most recent dominant speakers whose cameras a subscriber receives unless it asks
 *              otherwise; -1 for no limit
 * @param speechLevel the quietest RFC 6464 level, in -dBov (0 loudest, 127 silence), that counts as speech
 * @param speakers the dominant speaker detector's time constants and thresholds
 * @param maxPublishKbps the most one participant may send, all its tracks together: the REMB the SFU sends it
 */
public record RoomSettings(int lastN, int speechLevel, DominantSpeakerDetector.Settings speakers,
                           int maxPublishKbps) {

    /** Enough for a 720p simulcast camera (~2.5 Mbit/s) and a screen share with audio. */
    public static final int DEFAULT_MAX_PUBLISH_KBPS = 6000;

    public static final RoomSettings DEFAULT = new RoomSettings(LastN.UNLIMITED, 50,
            DominantSpeakerDetector.Settings.DEFAULT, DEFAULT_MAX_PUBLISH_KBPS);

    public RoomSettings {
        if (lastN < -1) {
            throw new IllegalArgumentException("lastN must be -1 (no limit) or at least 0");
        }
        if (speechLevel < 1 || speechLevel > 127) {
            throw new IllegalArgumentException("speechLevel must be from 1 to 127 (-dBov)");
        }
        if (maxPublishKbps < 100) {
            throw new IllegalArgumentException("maxPublishKbps must be at least 100");
        }
    }
}
