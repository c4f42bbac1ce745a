package io.tribune.transcoder;

import io.dropwizard.lifecycle.Managed;
import io.tribune.transcoder.ingest.PackagerConnection;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.GStreamer;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.LadderPipeline;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.pipeline.Timeline;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One town hall's transcoder: a {@link TownHallSource} (an SRT presenter, {@link SrtSource}, or an SFU room's stage,
 * {@link io.tribune.transcoder.stage.StageSource}) feeding a {@link LadderPipeline} that encodes the ladder, and a
 * {@link PackagerConnection} sending it to the HLS packager.
 *
 * <ul>
 *   <li>The ladder starts when the source asks: from the first SRT presenter's video, with the rungs no taller than
 *       the source (never upscaling); from audio alone, after {@link #AUDIO_ONLY_WAIT}, with the whole configured
 *       ladder; at once with the whole ladder for a stage, which shows the slate until the stage has video.
 *   <li>An input that drops is replaced by the slate at once, while the source waits for the next; the ladder and
 *       the playlist go on without a break.
 *   <li>A ladder that fails (ERROR/EOS) or stops producing is rebuilt; the packager is told to start a new timeline
 *       (EXT-X-DISCONTINUITY), and timestamps continue past the old ones.
 * </ul>
 *
 * <p>Threading: lifecycle changes run on one control thread; GStreamer callbacks only record state or hand work
 * to that thread, except the ladder's first start, which the decoder's pad-added callback needs to size its scaler.
 */
public final class TownHallTranscoder implements Managed, TownHallSource.Feed {

    private static final Logger LOG = LoggerFactory.getLogger(TownHallTranscoder.class);
    static final Duration AUDIO_ONLY_WAIT = Duration.ofSeconds(3);
    private static final Duration PRESENTER_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(6);

    private final String eventId;
    private final TownHallSource source;
    private final Ladder configuredLadder;
    private final EncoderSettings encoder;
    private final InetSocketAddress packager;
    private final String packagerKey;
    private final String channel;
    private final Timeline timeline = new Timeline();
    private final AtomicLong rejectedCallers = new AtomicLong();
    private final AtomicLong presenterSessions = new AtomicLong();
    private final AtomicLong ladderRestarts = new AtomicLong();
    private final AtomicBoolean restartPending = new AtomicBoolean();
    private ScheduledExecutorService control;
    private PackagerConnection connection;
    private volatile LadderPipeline ladder;
    private volatile long ladderStartedNanoTime;

    /** A town hall taking an SRT presenter (see {@link SrtSource}). */
    public TownHallTranscoder(String eventId, String streamKey, String srtBindAddress, int srtPort,
                              Duration srtLatency, Ladder ladder, EncoderSettings encoder,
                              InetSocketAddress packager, String packagerKey) {
        this(eventId, new SrtSource(eventId, streamKey, srtBindAddress, srtPort, srtLatency), ladder, encoder,
                packager, packagerKey);
    }

    public TownHallTranscoder(String eventId, TownHallSource source, Ladder ladder, EncoderSettings encoder,
                              InetSocketAddress packager, String packagerKey) {
        this.eventId = eventId;
        this.source = source;
        this.configuredLadder = ladder;
        this.encoder = encoder;
        this.packager = packager;
        this.packagerKey = packagerKey;
        this.channel = "townhall-" + eventId;
    }

    @Override
    public void start() {
        GStreamer.init();
        connection = new PackagerConnection(packager, eventId, packagerKey, Duration.ofSeconds(1));
        control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "transcoder-" + eventId);
            t.setDaemon(true);
            return t;
        });
        control.execute(() -> source.open(this));
        control.scheduleWithFixedDelay(this::watch, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (control == null) {
            return;
        }
        long start = System.nanoTime();
        // The SRT socket must be closed before the process exits: libsrt's exit-time destructor joins its threads
        // and hangs the JVM's exit while a listener is still open. Bounded, since a service must exit soon after
        // its supervisor is gone (ops' ServiceMain).
        Future<?> teardown = control.submit(() -> {
            source.close();
            LadderPipeline l = ladder;
            ladder = null;
            if (l != null) {
                l.stop();
            }
        });
        control.shutdown();
        try {
            teardown.get(4, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("town hall {}: stopping the pipelines failed", eventId, e.getCause());
        } catch (TimeoutException e) {
            LOG.warn("town hall {}: pipelines did not stop within 4 s", eventId);
            control.shutdownNow();
        }
        connection.close();
        LOG.info("town hall {}: stopped in {} ms", eventId, (System.nanoTime() - start) / 1_000_000);
    }

    /** The host ended the broadcast: the packager closes the playlists and writes the replay. */
    public void endBroadcast() throws InterruptedException {
        connection.end(Duration.ofSeconds(5));
    }

    // ---- TownHallSource.Feed (GStreamer threads and the control thread)

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public int frameRate() {
        return encoder.frameRate();
    }

    @Override
    public Rung videoFound(int width, int height) {
        presenterSessions.incrementAndGet();
        LadderPipeline running = startLadderOnce(configuredLadder.forSource(width, height));
        LOG.info("town hall {}: presenter video {}x{}; ladder {}", eventId, width, height,
                running.ladder().rungs().stream().map(Rung::name).toList());
        return running.ladder().top();
    }

    @Override
    public void audioFound() {
        later(() -> {
            if (ladder == null) {
                startLadderOnce(configuredLadder);
            }
        }, AUDIO_ONLY_WAIT);
    }

    @Override
    public Rung startLadder() {
        return startLadderOnce(configuredLadder).ladder().top();
    }

    @Override
    public void callerRejected() {
        rejectedCallers.incrementAndGet();
        LOG.warn("town hall {}: refused an SRT caller with a wrong stream key", eventId);
    }

    /** Runs a lifecycle change on the control thread; dropped once the transcoder is stopping. */
    @Override
    public void later(Runnable action, Duration delay) {
        try {
            control.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("town hall {}: stopping, not scheduling more work", eventId);
        }
    }

    // ---- state, for health checks, metrics and tests

    public String eventId() {
        return eventId;
    }

    /** Whether the source is ready for presenters (SRT listening, stage followed). */
    public boolean listening() {
        return source.ready();
    }

    public TownHallSource source() {
        return source;
    }

    public boolean presenterOnAir() {
        LadderPipeline l = ladder;
        return l != null && l.presenterShown();
    }

    public Ladder activeLadder() {
        LadderPipeline l = ladder;
        return l == null ? null : l.ladder();
    }

    public long rejectedCallers() {
        return rejectedCallers.get();
    }

    public long presenterSessions() {
        return presenterSessions.get();
    }

    public long ladderRestarts() {
        return ladderRestarts.get();
    }

    public PackagerConnection connection() {
        return connection;
    }

    /** Rebuilds the ladder as after a failure (also used by tests to prove the discontinuity path). */
    public void restartLadder(String reason) {
        if (restartPending.compareAndSet(false, true)) {
            later(() -> {
                try {
                    doRestartLadder(reason);
                } finally {
                    restartPending.set(false);
                }
            }, Duration.ZERO);
        }
    }

    // ---- control thread

    private void ladderFailed(LadderPipeline failed, String reason) {
        if (ladder == failed) {
            restartLadder(reason);
        }
    }

    private synchronized LadderPipeline startLadderOnce(Ladder chosen) {
        if (ladder == null) {
            LadderPipeline l = new LadderPipeline(chosen, encoder, channel, timeline, connection);
            l.start(reason -> ladderFailed(l, reason));
            ladderStartedNanoTime = System.nanoTime();
            ladder = l;
        }
        return ladder;
    }

    private void doRestartLadder(String reason) {
        LadderPipeline old;
        synchronized (this) {
            old = ladder;
        }
        if (old == null) {
            return;
        }
        LOG.warn("town hall {}: ladder failed ({}); restarting it after a discontinuity", eventId, reason);
        ladderRestarts.incrementAndGet();
        old.stop();
        timeline.restart(Duration.ofMillis(100).toNanos());
        connection.discontinuity();
        LadderPipeline fresh = new LadderPipeline(old.ladder(), encoder, channel, timeline, connection);
        synchronized (this) {
            fresh.start(failure -> ladderFailed(fresh, failure));
            ladderStartedNanoTime = System.nanoTime();
            ladder = fresh;
        }
    }

    private void watch() {
        try {
            LadderPipeline l = ladder;
            if (l == null) {
                return;
            }
            long now = System.nanoTime();
            long lastVideo = source.lastVideoNanoTime();
            boolean presenterVideo = lastVideo != 0 && now - lastVideo < PRESENTER_TIMEOUT.toNanos();
            l.showPresenter(presenterVideo);
            long lastSample = l.tracks().stream().mapToLong(t -> t.lastSampleNanoTime()).max().orElse(0);
            long since = Math.max(lastSample, ladderStartedNanoTime);
            if (now - since > STALL_TIMEOUT.toNanos()) {
                restartLadder("no encoded output for " + STALL_TIMEOUT.toSeconds() + " s");
            }
        } catch (RuntimeException e) {
            LOG.warn("town hall {}: watchdog: {}", eventId, e.toString());
        }
    }
}
