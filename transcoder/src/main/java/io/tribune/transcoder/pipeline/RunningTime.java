package io.tribune.transcoder.pipeline;

/**
 * Converts buffer timestamps to running time with the SEGMENT in force on a pad (rate 1, forward playback, as in
 * a live pipeline). x264enc's output carries a +1000 h offset in its segment (shared/probes/llhls.md), so raw
 * timestamps of different branches cannot be compared; running times can. Thread-safe: the segment is replaced
 * atomically by the streaming thread that delivers it.
 */
public final class RunningTime {

    /**
     * x264enc's minimum PTS (GstVideoEncoder min-pts, set to 1000 h by x264enc so that DTS never goes negative): the
     * start of the SEGMENT it pushes downstream.
     */
    public static final long X264_MIN_PTS_NANOS = 1000L * 3600 * 1_000_000_000L;

    private volatile long[] segment = {0, 0, 0};

    /** Records a new segment: start, offset and base, in nanoseconds. */
    public void segment(long start, long offset, long base) {
        segment = new long[] {start, offset, base};
    }

    /**
     * Called with an encoder's first timestamp: when it carries x264enc's offset but the segment in force does not
     * take it off (the appsink's event probe missed x264enc's SEGMENT, as happened once in CI), assumes x264enc's
     * segment (start at its min-pts, live upstream: no offset, base 0), so that rungs stay comparable. Returns
     * whether it did.
     */
    public boolean assumeEncoderSegmentIfUnseen(long firstTimestamp) {
        if (firstTimestamp == -1 || firstTimestamp < X264_MIN_PTS_NANOS || segment[0] >= X264_MIN_PTS_NANOS) {
            return false;
        }
        segment = new long[] {X264_MIN_PTS_NANOS, 0, 0};
        return true;
    }

    /** The running time of a timestamp, or -1 for GST_CLOCK_TIME_NONE (-1). */
    public long of(long timestamp) {
        if (timestamp == -1) {
            return -1;
        }
        long[] s = segment;
        return timestamp - s[0] - s[1] + s[2];
    }
}
