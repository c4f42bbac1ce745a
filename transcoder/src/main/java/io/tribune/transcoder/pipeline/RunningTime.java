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
     * encoder adds it to every timestamp and, once it knows it, to the start of every SEGMENT it pushes.
     */
    public static final long X264_MIN_PTS_NANOS = 1000L * 3600 * 1_000_000_000L;

    private volatile long[] segment = {0, 0, 0};

    /** Records a new segment: start, offset and base, in nanoseconds. */
    public void segment(long start, long offset, long base) {
        segment = new long[] {start, offset, base};
    }

    /**
     * The running time of a timestamp, or -1 for GST_CLOCK_TIME_NONE (-1).
     *
     * <p>A timestamp carrying x264enc's offset under a segment whose start does not (a SEGMENT the encoder pushed
     * before it knew its adjustment, or none seen at all: both happened in CI, the first one 22 frames into a
     * stream) is read as if the segment carried it too, so that every sample of a rung lands on one timeline and
     * the rungs stay comparable. Nothing else reaches 1000 h of running time.
     */
    public long of(long timestamp) {
        if (timestamp == -1) {
            return -1;
        }
        long[] s = segment;
        long start = s[0];
        if (timestamp >= X264_MIN_PTS_NANOS && start < X264_MIN_PTS_NANOS) {
            start += X264_MIN_PTS_NANOS;
        }
        return timestamp - start - s[1] + s[2];
    }
}
