package io.tribune.hls.live;

import java.time.Duration;

/**
 * How a live event is cut and listed. Immutable.
 *
 * @param partTarget     PART-TARGET; 0.4 s by default: a whole number of frames at 25 and 30 fps and five parts to a
 *                       2 s segment; it sets the players' distance from the live edge (three parts), so 0.5 s parts
 *                       cost 0.3 s of latency (bench hls-latency); 0.33 s parts stalled hls.js at segment boundaries
 * @param segmentTarget  segment length the transcoder's keyframe interval should equal; TARGETDURATION is its ceiling
 * @param partHoldBack   PART-HOLD-BACK; at least three part targets (rfc8216bis 4.4.3.8 SHOULD, issue 6 MUST)
 * @param windowSegments complete segments listed in a live playlist
 * @param retainSegments complete segments kept in memory (the window plus stragglers); older ones live on only in
 *                       object storage
 */
public record LiveSettings(Duration partTarget, Duration segmentTarget, Duration partHoldBack, int windowSegments,
                           int retainSegments) {

    public static LiveSettings defaults() {
        return new LiveSettings(Duration.ofMillis(400), Duration.ofSeconds(2), Duration.ofMillis(1200), 6, 20);
    }

    public LiveSettings {
        if (partTarget.isNegative() || partTarget.isZero() || segmentTarget.compareTo(partTarget) < 0) {
            throw new IllegalArgumentException("need 0 < partTarget <= segmentTarget");
        }
        if (partHoldBack.compareTo(partTarget.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("partHoldBack must be at least 3 x partTarget");
        }
        if (windowSegments < 3 || retainSegments < windowSegments) {
            throw new IllegalArgumentException("need windowSegments >= 3 and retainSegments >= windowSegments");
        }
    }

    /** EXT-X-TARGETDURATION: whole seconds. */
    public int targetDurationSeconds() {
        return (int) Math.ceil(segmentTarget.toNanos() / 1e9);
    }

    public double partTargetSeconds() {
        return partTarget.toNanos() / 1e9;
    }

    /** rfc8216bis 6.2.5.2: how many parts ahead a blocking request may ask for. */
    public int advancePartLimit() {
        double seconds = partTargetSeconds();
        return seconds < 1 ? (int) Math.floor(3 / seconds) : 3;
    }

    /** How long a blocking request waits before a 503: three target durations (rfc8216bis 6.2.5.2). */
    public Duration blockingTimeout() {
        return Duration.ofSeconds(3L * targetDurationSeconds());
    }

    public int nominalPartsPerSegment() {
        return (int) Math.ceil((double) segmentTarget.toNanos() / partTarget.toNanos());
    }
}
