package io.tribune.transcoder.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The transcoder's output timeline across ladder pipeline restarts: every new pipeline starts its running time at
 * zero, so its samples are shifted by {@link #offsetNanos()} to keep each track's dts rising (the ingest contract)
 * after the discontinuity the restart causes. Also maps running time to wall-clock capture time. Thread-safe.
 */
public final class Timeline {

    private final AtomicLong maxEndNanos = new AtomicLong();
    private volatile long offsetNanos;
    private volatile long wallClockAtZeroMicros = Long.MIN_VALUE;

    /** Output time, in nanoseconds, of a pipeline running time; records how far the timeline has got. */
    public long output(long runningTimeNanos, long durationNanos) {
        long out = runningTimeNanos + offsetNanos;
        long end = out + Math.max(0, durationNanos);
        maxEndNanos.accumulateAndGet(end, Math::max);
        return out;
    }

    public long offsetNanos() {
        return offsetNanos;
    }

    /**
     * A new pipeline starts: its running time zero maps to just after everything sent so far (plus a gap), and
     * its wall-clock anchor is forgotten until {@link #anchor} is called again.
     */
    public void restart(long gapNanos) {
        offsetNanos = maxEndNanos.get() + gapNanos;
        wallClockAtZeroMicros = Long.MIN_VALUE;
    }

    /** The pipeline reached PLAYING: its running time {@code runningTimeNanos} is the wall clock now. */
    public void anchor(long runningTimeNanos, long unixMicrosNow) {
        wallClockAtZeroMicros = unixMicrosNow - runningTimeNanos / 1000;
    }

    /** As {@link #anchor}, unless the pipeline is anchored already (the first of both to see it PLAYING wins). */
    public synchronized void anchorIfUnset(long runningTimeNanos, long unixMicrosNow) {
        if (wallClockAtZeroMicros == Long.MIN_VALUE) {
            anchor(runningTimeNanos, unixMicrosNow);
        }
    }

    /** Capture time (Unix microseconds) of a pipeline running time, or Long.MIN_VALUE before {@link #anchor}. */
    public long captureMicros(long runningTimeNanos) {
        long anchor = wallClockAtZeroMicros;
        return anchor == Long.MIN_VALUE ? Long.MIN_VALUE : anchor + runningTimeNanos / 1000;
    }
}
