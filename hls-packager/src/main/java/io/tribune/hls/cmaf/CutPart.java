package io.tribune.hls.cmaf;

/**
 * A part the segmenter has cut: its fragment bytes and what the playlist says about it.
 *
 * @param fragment          {@code moof} + {@code mdat}
 * @param durationSeconds   the video duration of the part (the playlist's DURATION)
 * @param independent       it starts with a keyframe (INDEPENDENT=YES)
 * @param startsSegment     the first part of a new segment
 * @param endsSegment       the last part of its segment: the segment is complete with it
 * @param captureTimeMicros capture time of its first video sample, or NO_CAPTURE_TIME
 * @param startPts          pts of its first video sample, in the video track's timescale: where the part starts on
 *                          the media timeline (a subtitle segment's X-TIMESTAMP-MAP points there)
 */
public record CutPart(byte[] fragment, double durationSeconds, boolean independent, boolean startsSegment,
                      boolean endsSegment, long captureTimeMicros, long startPts) {
}
