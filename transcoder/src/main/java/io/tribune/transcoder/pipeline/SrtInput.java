package io.tribune.transcoder.pipeline;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadLinkException;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presenter's side: an SRT listener ({@code srtsrc mode=listener}) that accepts one caller with the right stream
 * key, demuxes MPEG-TS and decodes once (H.264, VP8, AAC, Opus, whatever decodebin finds), then normalizes video to
 * the ladder's top size and frame rate and audio to 48 kHz stereo, and hands both to the {@link LadderPipeline}
 * through {@code intervideosink}/{@code interaudiosink}. One instance serves one connection: when the caller leaves
 * (EOS) or the stream breaks (ERROR), {@link Listener#inputEnded} fires and the owner starts a fresh one, while the
 * ladder keeps running on the slate.
 *
 * <p>Threading: GStreamer calls the callbacks on its own threads; {@link #start} and {@link #stop} are called by
 * the owner's control thread.
 */
public final class SrtInput implements MediaInput {

    private static final Logger LOG = LoggerFactory.getLogger(SrtInput.class);

    /** What the input reports to its owner. Called on GStreamer threads: must not block. */
    public interface Listener extends MediaInput.Ended {
        /** A video stream of this size was found; returns the ladder's top rung to scale it to. */
        Rung videoFound(int width, int height);

        /** An audio stream was found. */
        void audioFound();

        /** A caller was refused (wrong or missing stream key). */
        void callerRejected(String streamId);
    }

    /** srtsrc's "caller-connecting" signal: return false to refuse the caller. */
    public interface CallerConnecting extends Callback {
        boolean callback(Pointer srtsrc, Pointer address, String streamId, Pointer userData);
    }

    private final String bindAddress;
    private final int port;
    /**
     * tsdemux's own latency. Its default, 700 ms "for smooth demuxing" of jittery transports, is added to the
     * pipeline's latency, so the synchronized inter sinks held every frame 0.7 s longer; SRT already delivers packets
     * evenly (its receive buffer waits {@code latency} ms), so none is needed here: bench hls-latency, glass to glass
     * p50 2.88 s -> 2.15 s (BENCHMARKS.md).
     */
    static final int TS_DEMUX_LATENCY_MILLIS = 0;
    private final int latencyMillis;
    private final String channel;
    private final int frameRate;
    private final String eventId;
    private final String streamKey;
    private final Listener listener;
    private final AtomicLong videoFrames = new AtomicLong();
    private volatile long lastVideoNanoTime;
    private volatile boolean ended;
    private Pipeline pipeline;
    private CallerConnecting keyCheck; // held so JNA keeps the native callback alive

    public SrtInput(String bindAddress, int port, int latencyMillis, String channel, int frameRate, String eventId,
                    String streamKey, Listener listener) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.latencyMillis = latencyMillis;
        this.channel = channel;
        this.frameRate = frameRate;
        this.eventId = eventId;
        this.streamKey = streamKey;
        this.listener = listener;
    }

    @Override
    public void start() {
        pipeline = (Pipeline) Gst.parseLaunch("srtsrc name=srt uri=\"srt://" + bindAddress + ":" + port
                + "?mode=listener\" latency=" + latencyMillis + " authentication=true"
                + " ! queue max-size-time=2000000000 max-size-buffers=0 max-size-bytes=0 ! decodebin name=decode");
        Element srt = pipeline.getElementByName("srt");
        keyCheck = (src, address, streamId, userData) -> {
            boolean ok = StreamKeys.accepts(streamId, eventId, streamKey);
            if (!ok) {
                listener.callerRejected(streamId);
            } else {
                LOG.info("event {}: presenter connected over SRT", eventId);
            }
            return ok;
        };
        srt.connect("caller-connecting", CallerConnecting.class, keyCheck, keyCheck);
        Bin decode = (Bin) pipeline.getElementByName("decode");
        decode.connect((Element.PAD_ADDED) this::padAdded);
        decode.connect((Bin.ELEMENT_ADDED) (bin, element) -> {
            if (element.getFactory() != null && "tsdemux".equals(element.getFactory().getName())) {
                element.set("latency", TS_DEMUX_LATENCY_MILLIS);
            }
        });
        Bus bus = pipeline.getBus();
        bus.connect((Bus.EOS) source -> end("the presenter left"));
        bus.connect((Bus.ERROR) (source, code, message) -> end("error from " + source.getName() + ": " + message));
        pipeline.play();
    }

    @Override
    public void stop() {
        ended = true;
        if (pipeline != null) {
            pipeline.stop();
            pipeline.dispose();
            pipeline = null;
        }
    }

    @Override
    public long lastVideoNanoTime() {
        return lastVideoNanoTime;
    }

    @Override
    public long videoFrames() {
        return videoFrames.get();
    }

    private void end(String reason) {
        if (!ended) {
            ended = true;
            listener.inputEnded(reason);
        }
    }

    private void padAdded(Element decodebin, Pad pad) {
        org.freedesktop.gstreamer.Caps caps = pad.getCurrentCaps();
        String text = caps == null ? "" : caps.toString();
        Bin branch;
        if (text.startsWith("video/")) {
            Rung top = listener.videoFound(Caps.intField(text, "width", 0), Caps.intField(text, "height", 0));
            branch = Gst.parseBinFromDescription("queue max-size-buffers=3 max-size-time=0 max-size-bytes=0"
                    + " ! videoconvert ! videoscale add-borders=true ! videorate"
                    + " ! video/x-raw,format=I420,width=" + top.width() + ",height=" + top.height()
                    + ",pixel-aspect-ratio=1/1,framerate=" + frameRate + "/1"
                    + " ! intervideosink name=sink channel=" + channel, true);
            branch.getElementByName("sink").getStaticPad("sink").addProbe(PadProbeType.BUFFER, (p, info) -> {
                videoFrames.incrementAndGet();
                lastVideoNanoTime = System.nanoTime();
                return PadProbeReturn.OK;
            });
        } else if (text.startsWith("audio/")) {
            listener.audioFound();
            branch = Gst.parseBinFromDescription("queue max-size-time=1000000000 max-size-buffers=0 max-size-bytes=0"
                    + " ! audioconvert ! audioresample"
                    + " ! audio/x-raw,format=S16LE,rate=48000,channels=2,layout=interleaved"
                    + " ! interaudiosink channel=" + channel, true);
        } else {
            LOG.info("event {}: ignoring a {} stream", eventId, text.isEmpty() ? "unknown" : text.split(",")[0]);
            branch = Gst.parseBinFromDescription("fakesink sync=false async=false", true);
        }
        pipeline.add(branch);
        branch.syncStateWithParent();
        try {
            pad.link(branch.getStaticPad("sink"));
        } catch (PadLinkException e) {
            LOG.warn("event {}: cannot link a decoded {} stream: {}", eventId, text, e.getMessage());
        }
    }
}
