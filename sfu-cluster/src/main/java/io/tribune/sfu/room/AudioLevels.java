package io.tribune.sfu.room;

/**
 * The RFC 6464 audio levels of one published microphone track since the room last looked: how many packets
 * carried a level, how many of those were speech (at or above the speech threshold), and the sum of their
 * loudness. The publisher's receive pipeline records; the room's speaker tick drains.
 *
 * <p>Thread-safe: both sides take this object's monitor, which one writer at 50 packets/s and one reader at 10
 * ticks/s never contend for in practice.
 */
final class AudioLevels {

    private int packets;
    private int speechPackets;
    private double loudness;

    /**
     * @param level -dBov, 0 (loudest) to 127 (silence)
     * @param speechLevel the quietest level (largest -dBov) that counts as speech
     */
    synchronized void record(int level, int speechLevel) {
        packets++;
        if (level <= speechLevel) {
            speechPackets++;
            loudness += (double) (speechLevel - level) / speechLevel;
        }
    }

    /** What was recorded since the last drain; resets. */
    synchronized DominantSpeakerDetector.Activity drain() {
        DominantSpeakerDetector.Activity activity = new DominantSpeakerDetector.Activity(packets, speechPackets,
                speechPackets == 0 ? 0 : loudness / speechPackets);
        packets = 0;
        speechPackets = 0;
        loudness = 0;
        return activity;
    }
}
