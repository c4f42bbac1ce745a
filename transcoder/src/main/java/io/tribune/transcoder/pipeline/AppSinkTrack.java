package io.tribune.transcoder.pipeline;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.TrackKind;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.event.SegmentEvent;
import org.freedesktop.gstreamer.lowlevel.GstAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one appsink's encoded buffers (H.264 in avc/au form, or raw AAC) into ingest TRACK and SAMPLE frames:
 * announces the track from the caps' codec_data (again whenever it changes), converts timestamps to running time
 * with the sink pad's SEGMENT, shifts them onto the {@link Timeline} and stamps the wall-clock capture time.
 *
 * <p>Threading: the callbacks run on the appsink's streaming thread, one at a time.
 */
public final class AppSinkTrack {

    private static final Logger LOG = LoggerFactory.getLogger(AppSinkTrack.class);
    private static final Method GET_SEGMENT = segmentAccessor();

    private final int trackId;
    private final TrackKind kind;
    private final Rung rung;
    private final int audioBitrate;
    private final int frameRate;
    private final Timeline timeline;
    private final FrameSink sink;
    private final RunningTime runningTime = new RunningTime();
    private final AtomicLong samples = new AtomicLong();
    private volatile long lastSampleNanoTime;
    private byte[] announcedConfig;
    private long timescale;

    /**
     * @param rung         the video rung, or null for the audio track
     * @param audioBitrate bits per second of the AAC encoder (audio only)
     */
    public AppSinkTrack(int trackId, TrackKind kind, Rung rung, int audioBitrate, int frameRate, Timeline timeline,
                        FrameSink sink) {
        this.trackId = trackId;
        this.kind = kind;
        this.rung = rung;
        this.audioBitrate = audioBitrate;
        this.frameRate = frameRate;
        this.timeline = timeline;
        this.sink = sink;
    }

    public void attach(AppSink appSink) {
        appSink.set("emit-signals", true);
        appSink.getStaticPad("sink").addEventProbe((pad, event) -> {
            if (event instanceof SegmentEvent segmentEvent) {
                GstAPI.GstSegmentStruct segment = segmentOf(segmentEvent);
                if (segment != null) {
                    runningTime.segment(segment.start, segment.offset, segment.base);
                }
            }
            return PadProbeReturn.OK;
        });
        appSink.connect((AppSink.NEW_SAMPLE) element -> {
            Sample sample = element.pullSample();
            try {
                anchorIfUnset(element);
                onSample(sample);
            } catch (RuntimeException e) {
                LOG.warn("track {}: dropped a sample: {}", trackId, e.toString());
            } finally {
                sample.dispose();
            }
            return FlowReturn.OK;
        });
    }

    /** Samples delivered so far. */
    public long samples() {
        return samples.get();
    }

    /** System.nanoTime() of the last sample, 0 before the first. */
    public long lastSampleNanoTime() {
        return lastSampleNanoTime;
    }

    /**
     * A sample can reach the sink before the bus tells the pipeline it is PLAYING (where the timeline is anchored
     * to the wall clock): then anchor it from the sink's clock now, so that even the first sample carries its
     * capture time (once in CI the first sample of a rung went without it).
     */
    private void anchorIfUnset(AppSink element) {
        if (timeline.captureMicros(0) == Long.MIN_VALUE) {
            org.freedesktop.gstreamer.Clock clock = element.getClock();
            if (clock != null) {
                timeline.anchorIfUnset(clock.getTime() - element.getBaseTime(), System.currentTimeMillis() * 1000);
            }
        }
    }

    private void onSample(Sample sample) {
        String caps = sample.getCaps().toString();
        byte[] config = Caps.codecData(caps);
        if (config == null) {
            throw new IllegalStateException("caps without codec_data: " + caps);
        }
        if (!Arrays.equals(config, announcedConfig)) {
            announce(caps, config);
        }
        Buffer buffer = sample.getBuffer();
        long pts = runningTime.of(buffer.getPresentationTimestamp());
        long dts = runningTime.of(buffer.getDecodeTimestamp());
        if (dts == -1) {
            dts = pts; // aacparse leaves DTS unset
        }
        if (pts < 0 || dts < 0) {
            return; // before the segment start: nothing a player could show
        }
        long duration = Math.max(0, buffer.getDuration());
        boolean keyframe = kind == TrackKind.AUDIO || !buffer.getFlags().contains(BufferFlags.DELTA_UNIT);
        ByteBuffer mapped = buffer.map(false);
        byte[] payload;
        try {
            payload = new byte[mapped.remaining()];
            mapped.get(payload);
        } finally {
            buffer.unmap();
        }
        long outDts = timeline.output(dts, duration);
        long outPts = timeline.output(pts, duration);
        sink.send(new IngestFrame.Sample(trackId, keyframe, ticks(outDts), ticks(outPts),
                duration == 0 ? 0 : Math.min(0xFFFFFFFFL, ticks(duration)), timeline.captureMicros(pts), payload));
        samples.incrementAndGet();
        lastSampleNanoTime = System.nanoTime();
    }

    private void announce(String caps, byte[] config) {
        IngestFrame.TrackAnnounce track;
        if (kind == TrackKind.VIDEO) {
            timescale = 90_000;
            track = new IngestFrame.TrackAnnounce(trackId, kind, "avc1", timescale, rung.name(), rung.width(),
                    rung.height(), rung.bitrateKbps() * 1000L, frameRate * 1000, config);
        } else {
            timescale = Caps.intField(caps, "rate", 48_000);
            track = new IngestFrame.TrackAnnounce(trackId, kind, "mp4a", timescale, "main", 0, 0, audioBitrate, 0,
                    config);
        }
        sink.send(track);
        announcedConfig = config;
        LOG.info("announced {}", track);
    }

    private long ticks(long nanos) {
        return Math.floorDiv(nanos, 1000L) * timescale / 1_000_000L;
    }

    private static GstAPI.GstSegmentStruct segmentOf(SegmentEvent event) {
        try {
            return GET_SEGMENT == null ? null : (GstAPI.GstSegmentStruct) GET_SEGMENT.invoke(event);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    // SegmentEvent.getSegment() is package-private in gst1-java-core 1.4.0 (shared/probes/llhls.md).
    private static Method segmentAccessor() {
        try {
            Method method = SegmentEvent.class.getDeclaredMethod("getSegment");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(AppSinkTrack.class).error("cannot read SEGMENT events; timestamps will be wrong",
                    e);
            return null;
        }
    }
}
