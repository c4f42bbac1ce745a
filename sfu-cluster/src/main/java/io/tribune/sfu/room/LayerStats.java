package io.tribune.sfu.room;

/**
 * What the node measures about one layer a participant publishes, for metrics. Immutable.
 *
 * @param trackId the published track
 * @param layer 0 the lowest
 * @param rid the simulcast stream's rid, or null
 * @param width pixels from the last VP8 key frame, 0 when unknown
 * @param height pixels, 0 when unknown
 * @param bitrateBps measured media bitrate
 * @param lossFraction the share lost in the last receiver report's interval (0..1)
 * @param jitterMillis interarrival jitter (RFC 3550 A.8)
 */
public record LayerStats(String trackId, int layer, String rid, int width, int height, long bitrateBps,
                         double lossFraction, double jitterMillis) {
}
