package io.tribune.transcoder.pipeline;

/**
 * Converts buffer timestamps to running time with the SEGMENT in force on a pad (rate 1, forward playback, as in
 * a live pipeline). x264enc's output carries a +1000 h offset in its segment (shared/probes/llhls.md), so raw
 * timestamps of different branches cannot be compared; running times can. Thread-safe: the segment is replaced
 * atomically by the streaming thread that delivers it.
 */
public final class RunningTime {

    private volatile long[] segment = {0, 0, 0};

    /** Records a new segment: start, offset and base, in nanoseconds. */
    public void segment(long start, long offset, long base) {
        segment = new long[] {start, offset, base};
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
