package io.tribune.transcoder.pipeline;

import io.tribune.common.media.TrackKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;

/**
 * The ABR ladder, always running at a steady frame rate whether or not a presenter is there:
 *
 * <pre>
 * videotestsrc (slate) ----------------\
 * intervideosrc (from SrtInput) --- compositor --- tee -+- queue ! x264enc ! h264parse ! appsink   (top rung)
 *                                                       +- queue ! videoscale ! x264enc ! ... ! appsink  (each lower)
 * interaudiosrc (silence without input) ! avenc_aac ! aacparse ! appsink
 * </pre>
 *
 * The presenter's picture sits over the slate; {@link #showPresenter} turns it on and off (compositor pad alpha).
 * One decode upstream, one scale chain per rung here. Encoded access units leave through {@link AppSinkTrack}s.
 *
 * <p>Threading: built, started and stopped by the owner's control thread; GStreamer runs it on its own threads.
 */
public final class LadderPipeline {

    /** Track id of the audio track; video rungs are 0..n-1. */
    public static final int AUDIO_TRACK = 200;

    private final Ladder ladder;
    private final EncoderSettings encoder;
    private final String channel;
    private final Timeline timeline;
    private final FrameSink sink;
    private final List<AppSinkTrack> tracks = new ArrayList<>();
    private Pipeline pipeline;
    private Pad presenterPad;
    private volatile boolean presenterShown;

    public LadderPipeline(Ladder ladder, EncoderSettings encoder, String channel, Timeline timeline, FrameSink sink) {
        this.ladder = ladder;
        this.encoder = encoder;
        this.channel = channel;
        this.timeline = timeline;
        this.sink = sink;
    }

    /** The gst-launch description of the whole pipeline (also what the benchmark compares with ffmpeg). */
    public static String description(Ladder ladder, EncoderSettings encoder, String videoSource, String audioSource) {
        Rung top = ladder.top();
        String raw = "video/x-raw,format=I420,width=" + top.width() + ",height=" + top.height()
                + ",pixel-aspect-ratio=1/1,framerate=" + encoder.frameRate() + "/1";
        StringBuilder d = new StringBuilder();
        d.append(videoSource).append(" ! ").append(raw).append(" ! tee name=t\n");
        for (int i = 0; i < ladder.rungs().size(); i++) {
            Rung rung = ladder.rungs().get(i);
            d.append("t. ! queue max-size-buffers=4 max-size-time=0 max-size-bytes=0 ! ");
            if (i > 0) {
                d.append("videoscale ! video/x-raw,width=").append(rung.width()).append(",height=")
                        .append(rung.height()).append(" ! ");
            }
            d.append(encoder.x264(rung, "enc" + i)).append(" ! video/x-h264,profile=high ! h264parse")
                    .append(" ! video/x-h264,stream-format=avc,alignment=au ! appsink name=video").append(i)
                    .append(" sync=false max-buffers=300 enable-last-sample=false\n");
        }
        d.append(audioSource).append(" ! audio/x-raw,format=S16LE,rate=48000,channels=2,layout=interleaved")
                .append(" ! audioconvert ! avenc_aac bitrate=").append(encoder.audioBitrate())
                .append(" ! aacparse ! audio/mpeg,mpegversion=4,stream-format=raw")
                .append(" ! appsink name=audio sync=false max-buffers=300 enable-last-sample=false\n");
        return d.toString();
    }

    /** Builds and starts the pipeline; {@code failed} is called (once) on an ERROR or EOS. */
    public void start(Consumer<String> failed) {
        Rung top = ladder.top();
        String raw = "video/x-raw,format=I420,width=" + top.width() + ",height=" + top.height()
                + ",pixel-aspect-ratio=1/1,framerate=" + encoder.frameRate() + "/1";
        String video = "videotestsrc is-live=true pattern=smpte ! " + raw + " ! compositor name=mix"
                + " background=black"
                + " intervideosrc channel=" + channel + " timeout=500000000 ! " + raw + " ! mix.sink_1\n mix.";
        String audio = "interaudiosrc channel=" + channel;
        pipeline = (Pipeline) Gst.parseLaunch(description(ladder, encoder, video, audio));
        Element mix = pipeline.getElementByName("mix");
        mix.getStaticPad("sink_0").set("zorder", 0);
        presenterPad = mix.getStaticPad("sink_1");
        presenterPad.set("zorder", 1);
        presenterPad.set("alpha", 0.0);
        for (int i = 0; i < ladder.rungs().size(); i++) {
            AppSinkTrack track = new AppSinkTrack(i, TrackKind.VIDEO, ladder.rungs().get(i), 0, encoder.frameRate(),
                    timeline, sink);
            track.attach((AppSink) pipeline.getElementByName("video" + i));
            tracks.add(track);
        }
        AppSinkTrack audioTrack = new AppSinkTrack(AUDIO_TRACK, TrackKind.AUDIO, null, encoder.audioBitrate(),
                encoder.frameRate(), timeline, sink);
        audioTrack.attach((AppSink) pipeline.getElementByName("audio"));
        tracks.add(audioTrack);
        Bus bus = pipeline.getBus();
        bus.connect((Bus.ERROR) (source, code, message) -> failed.accept("error from " + source.getName() + ": "
                + message));
        bus.connect((Bus.EOS) source -> failed.accept("end of stream"));
        bus.connect((Bus.STATE_CHANGED) (source, old, current, pending) -> {
            if (source == pipeline && current == State.PLAYING) {
                timeline.anchorIfUnset(runningTime(), System.currentTimeMillis() * 1000);
            }
        });
        presenterShown = false;
        pipeline.play();
    }

    public void stop() {
        if (pipeline != null) {
            pipeline.stop();
            pipeline.dispose();
            pipeline = null;
        }
    }

    /** Shows the presenter's picture over the slate, or the slate alone. */
    public void showPresenter(boolean show) {
        if (presenterPad != null && show != presenterShown) {
            presenterPad.set("alpha", show ? 1.0 : 0.0);
            presenterShown = show;
        }
    }

    public boolean presenterShown() {
        return presenterShown;
    }

    public Ladder ladder() {
        return ladder;
    }

    /** The tracks, video rungs first, audio last. */
    public List<AppSinkTrack> tracks() {
        return List.copyOf(tracks);
    }

    private long runningTime() {
        Element p = pipeline;
        return p == null || p.getClock() == null ? 0 : p.getClock().getTime() - p.getBaseTime();
    }
}
