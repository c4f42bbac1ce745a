package io.tribune.transcoder;

import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.SrtInput;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A presenter pushing MPEG-TS over SRT (OBS, ffmpeg): an {@link SrtInput} listening with the town hall's stream key;
 * when the presenter leaves or the stream breaks, a fresh listener waits for the next one (the ladder runs on the
 * slate meanwhile). The ladder is sized from the first video (or started whole from audio alone).
 *
 * <p>Threading: lifecycle on the transcoder's control thread; the listener callbacks on GStreamer threads.
 */
public final class SrtSource implements TownHallSource, SrtInput.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SrtSource.class);

    private final String eventId;
    private final String streamKey;
    private final String bindAddress;
    private final int port;
    private final int latencyMillis;
    private Feed feed;
    private volatile SrtInput input;
    private volatile boolean closed;

    public SrtSource(String eventId, String streamKey, String bindAddress, int port, Duration latency) {
        if (streamKey == null || streamKey.length() < 8) {
            throw new IllegalArgumentException("town hall " + eventId + ": the stream key needs 8 characters or more");
        }
        this.eventId = eventId;
        this.streamKey = streamKey;
        this.bindAddress = bindAddress;
        this.port = port;
        this.latencyMillis = (int) latency.toMillis();
    }

    @Override
    public void open(Feed feed) {
        this.feed = feed;
        startInput();
        LOG.info("town hall {}: SRT ingest on srt://{}:{} (stream id = the stream key)", eventId, bindAddress, port);
    }

    @Override
    public void close() {
        closed = true;
        stopInput();
    }

    @Override
    public boolean ready() {
        return input != null;
    }

    @Override
    public long lastVideoNanoTime() {
        SrtInput in = input;
        return in == null ? 0 : in.lastVideoNanoTime();
    }

    @Override
    public String describe() {
        return "SRT on port " + port + (input != null ? ", listening" : ", not listening");
    }

    // ---- SrtInput.Listener (GStreamer threads)

    @Override
    public Rung videoFound(int width, int height) {
        return feed.videoFound(width, height);
    }

    @Override
    public void audioFound() {
        feed.audioFound();
    }

    @Override
    public void callerRejected(String streamId) {
        feed.callerRejected();
    }

    @Override
    public void inputEnded(String reason) {
        LOG.info("town hall {}: presenter input ended ({}); showing the slate and listening again", eventId, reason);
        feed.later(() -> {
            stopInput();
            startInput();
        }, Duration.ofMillis(200));
    }

    // ---- control thread

    private void startInput() {
        if (closed) {
            return;
        }
        SrtInput in = new SrtInput(bindAddress, port, latencyMillis, feed.channel(), feed.frameRate(), eventId,
                streamKey, this);
        try {
            in.start();
            input = in;
        } catch (RuntimeException e) {
            LOG.error("town hall {}: cannot listen on SRT port {}: {}; retrying", eventId, port, e.toString());
            in.stop();
            feed.later(this::startInput, Duration.ofSeconds(1));
        }
    }

    private void stopInput() {
        SrtInput in = input;
        input = null;
        if (in != null) {
            in.stop();
        }
    }
}
