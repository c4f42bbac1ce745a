package io.tribune.transcoder.stage;

import io.tribune.transcoder.pipeline.MediaInput;
import io.tribune.transcoder.pipeline.Rung;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage of an SFU room as the ladder's input: the RTP streams of the SFU's egress ({@link StageDescription}),
 * each received, decoded and scaled to the top rung, composed by {@link StageLayout} into one picture, and the
 * microphones mixed, handed to the {@code LadderPipeline} through {@code intervideosink}/{@code interaudiosink} on
 * its channel, as {@code SrtInput} does for an SRT presenter:
 *
 * <pre>
 *   videotestsrc (black, live: the compositor always has a frame to emit) ---------------------\
 *   udpsrc caps ! rtpjitterbuffer ! rtpvp8depay|rtph264depay ! decoder ! scale to the top rung --compositor (layout)
 *       ! videorate ! I420 top rung, output rate ! intervideosink
 *   udpsrc caps ! rtpjitterbuffer ! rtpopusdepay ! opusdec ! audioconvert ! audioresample --audiomixer
 *       ! S16LE 48 kHz stereo ! interaudiosink
 * </pre>
 *
 * One decode per stream; the ladder then has its one scale chain per rung. A new dominant speaker only moves
 * compositor pads ({@link #setActiveSpeaker}); a changed set of streams needs a new instance (the owner stops this
 * one and starts another; the ladder runs on the slate meanwhile).
 *
 * <p>Threading: {@link #start}, {@link #setActiveSpeaker} and {@link #stop} from the owner's control thread (one at a
 * time); GStreamer calls the probes and bus handlers on its own threads.
 */
public final class RtpStageInput implements MediaInput {

    private static final Logger LOG = LoggerFactory.getLogger(RtpStageInput.class);
    /** Jitter buffer on the SFU-to-transcoder leg, in ms (loopback or one data centre). */
    static final int JITTER_MILLIS = 200;

    private final StageDescription stage;
    private final Rung top;
    private final int frameRate;
    private final String channel;
    private final MediaInput.Ended listener;
    private final AtomicLong videoFrames = new AtomicLong();
    private final Map<String, String> padByTrack = new HashMap<>();
    private volatile long lastVideoNanoTime;
    private volatile boolean ended;
    private StageDescription current;
    private Pipeline pipeline;

    public RtpStageInput(StageDescription stage, Rung top, int frameRate, String channel, MediaInput.Ended listener) {
        this.stage = stage;
        this.current = stage;
        this.top = top;
        this.frameRate = frameRate;
        this.channel = channel;
        this.listener = listener;
    }

    /** The gst-launch description of the whole input; each video stream's compositor pad is recorded. */
    String description() {
        StringBuilder d = new StringBuilder();
        String size = "width=" + top.width() + ",height=" + top.height() + ",pixel-aspect-ratio=1/1";
        d.append("compositor name=comp background=black ! videoconvert ! videorate ! video/x-raw,format=I420,")
                .append(size).append(",framerate=").append(frameRate).append("/1 ! intervideosink channel=")
                .append(channel).append(' ');
        d.append("videotestsrc is-live=true pattern=black ! video/x-raw,").append(size).append(",framerate=")
                .append(frameRate).append("/1 ! comp.sink_0 ");
        boolean audio = stage.streams().stream().anyMatch(s -> !s.isVideo());
        if (audio) {
            d.append("audiomixer name=mix ! audioconvert ! audioresample")
                    .append(" ! audio/x-raw,format=S16LE,rate=48000,channels=2,layout=interleaved")
                    .append(" ! interaudiosink channel=").append(channel).append(' ');
        }
        int pad = 1;
        for (StageDescription.Stream s : stage.streams()) {
            d.append("udpsrc port=").append(s.port()).append(" caps=\"").append(s.caps()).append("\"")
                    .append(" ! rtpjitterbuffer latency=").append(JITTER_MILLIS).append(" ! ");
            switch (s.encodingName()) {
                case "VP8" -> d.append("rtpvp8depay wait-for-keyframe=true request-keyframe=true ! vp8dec");
                case "H264" -> d.append("rtph264depay wait-for-keyframe=true request-keyframe=true ! h264parse"
                        + " ! avdec_h264");
                default -> d.append("rtpopusdepay ! opusdec");
            }
            if (s.isVideo()) {
                String name = "sink_" + pad++;
                padByTrack.put(s.trackId(), name);
                d.append(" ! videoconvert ! videoscale add-borders=true ! video/x-raw,").append(size)
                        .append(" ! identity name=decoded-").append(name)
                        .append(" ! queue max-size-buffers=3 max-size-time=0 max-size-bytes=0 ! comp.").append(name)
                        .append(' ');
            } else {
                d.append(" ! audioconvert ! audioresample ! queue max-size-time=1000000000 max-size-buffers=0"
                        + " max-size-bytes=0 ! mix. ");
            }
        }
        return d.toString();
    }

    @Override
    public void start() {
        pipeline = (Pipeline) Gst.parseLaunch(description());
        for (String name : padByTrack.values()) {
            pipeline.getElementByName("decoded-" + name).getStaticPad("src").addProbe(PadProbeType.BUFFER,
                    (p, info) -> {
                        videoFrames.incrementAndGet();
                        lastVideoNanoTime = System.nanoTime();
                        return PadProbeReturn.OK;
                    });
        }
        applyLayout();
        Bus bus = pipeline.getBus();
        bus.connect((Bus.EOS) source -> end("the stage input ended"));
        bus.connect((Bus.ERROR) (source, code, message) -> end("error from " + source.getName() + ": " + message));
        pipeline.play();
        LOG.info("room {}: stage input with {} streams (speaker {})", stage.room(), stage.streams().size(),
                stage.activeSpeaker());
    }

    /** Moves the compositor's pads for a new dominant speaker (from a newer description of the same streams). */
    public void setActiveSpeaker(String participantId) {
        current = new StageDescription(stage.room(), participantId, stage.streams(), stage.version());
        if (pipeline != null) {
            applyLayout();
        }
    }

    /** The placements in effect now. */
    public List<StageLayout.Placement> layout() {
        return StageLayout.place(current, top.width(), top.height());
    }

    private void applyLayout() {
        Element compositor = pipeline.getElementByName("comp");
        int z = 1;
        for (StageLayout.Placement placement : layout()) {
            Pad pad = compositor.getStaticPad(padByTrack.get(placement.trackId()));
            if (pad == null) {
                continue;
            }
            pad.set("xpos", placement.x());
            pad.set("ypos", placement.y());
            pad.set("width", placement.width());
            pad.set("height", placement.height());
            pad.set("alpha", placement.visible() ? 1.0 : 0.0);
            pad.set("zorder", z++);
        }
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

    public StageDescription stage() {
        return stage;
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
}
