package io.tribune.hls.cmaf;

/**
 * One access unit on its way into a fragment. Times are in the track's timescale; {@code duration} is filled in by
 * the segmenter from the next sample's dts. Immutable apart from that one field, which only the segmenter's thread
 * sets before the sample is written.
 */
public final class MediaSample {

    private final long dts;
    private final long pts;
    private final boolean keyframe;
    private final long captureTimeMicros;
    private final byte[] data;
    private long duration;

    public MediaSample(long dts, long pts, long duration, boolean keyframe, long captureTimeMicros, byte[] data) {
        this.dts = dts;
        this.pts = pts;
        this.duration = duration;
        this.keyframe = keyframe;
        this.captureTimeMicros = captureTimeMicros;
        this.data = data;
    }

    public long dts() {
        return dts;
    }

    public long pts() {
        return pts;
    }

    public long duration() {
        return duration;
    }

    void duration(long value) {
        this.duration = value;
    }

    public boolean keyframe() {
        return keyframe;
    }

    /** Unix epoch microseconds at capture, or {@link io.tribune.common.media.IngestFrame.Sample#NO_CAPTURE_TIME}. */
    public long captureTimeMicros() {
        return captureTimeMicros;
    }

    public byte[] data() {
        return data;
    }
}
