package io.tribune.recording.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.tribune.events.Event;
import io.tribune.events.RecordingEvents;
import io.tribune.recording.db.ArchiveState;
import io.tribune.recording.render.Compositor;
import io.tribune.recording.render.RenderPlan;
import io.tribune.recording.render.RenderTrack;
import io.tribune.recording.storage.ObjectStore;
import io.tribune.recording.storage.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders completed recordings off the Kafka poll thread: the composed MP4, poster and thumbnails from the stored
 * track files, uploaded next to them, then recording.ready with all files.
 *
 * <pre>
 *   Archiver (poll thread): recording row 'rendering' ─► poke()
 *   claim round (scheduler thread, also at start and every claimTimeout/2):
 *       claim free or stale 'rendering' rows (as many as idle render threads) ─► render executor
 *   render thread: download tracks (SHA-256 checked) ─► Compositor.plan + render (heartbeat with progress)
 *       ─► upload view/recording.mp4, poster.jpg, thumbnails.jpg, thumbnails.vtt ─► recording.ready ─► row 'ready'
 *       failure ─► attempts + 1 ─► retry after backoff; after maxAttempts: recording.ready with the track files only
 * </pre>
 *
 * <p>Restart-safe: a row stays 'rendering' until Kafka acknowledged recording.ready, and its claim's heartbeat stops
 * when its process dies, so the next claim round (here or in another instance) renders it again under the same
 * object keys; multipart uploads the dead process left are aborted at start. Ready's event id is derived from the
 * recording id, so a repeat is dropped by consumers.
 *
 * <p>Thread-safe: {@link #poke()} from any thread; claims on one scheduler thread; renders on their own threads.
 */
public final class RenderQueue implements AutoCloseable {

    /** Tunables, from {@code render:} in the configuration. */
    public record Settings(int concurrency, int maxAttempts, Duration retryBackoff, Duration claimTimeout,
                           Path workDir, String owner) {
    }

    public static final String COMPOSED_KEY = "view/recording.mp4";
    public static final String POSTER_KEY = "view/poster.jpg";
    public static final String THUMBNAILS_KEY = "view/thumbnails.jpg";
    public static final String THUMBNAILS_VTT_KEY = "view/thumbnails.vtt";

    private static final Logger LOG = LoggerFactory.getLogger(RenderQueue.class);

    private final ArchiveState state;
    private final ObjectStore store;
    private final Archiver.ResultPublisher publisher;
    private final Compositor compositor;
    private final Clock clock;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService renderers;
    /** Recordings claimed by this process and not finished (queued, rendering or waiting for a retry). */
    private final Map<String, Double> inFlight = new ConcurrentHashMap<>();

    private final Counter rendersStarted;
    private final Counter rendersCompleted;
    private final Counter renderFailures;
    private final Counter rendersGivenUp;
    private final Counter recordingsReady;
    private final Timer renderTime;
    private volatile boolean closing;

    public RenderQueue(ArchiveState state, ObjectStore store, Archiver.ResultPublisher publisher,
                       Compositor compositor, Clock clock, Settings settings, MetricRegistry metrics) {
        this.state = state;
        this.store = store;
        this.publisher = publisher;
        this.compositor = compositor;
        this.clock = clock;
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "render-claims"));
        this.renderers = Executors.newFixedThreadPool(settings.concurrency(), r -> daemon(r, "render"));
        String prefix = Archiver.METRIC_PREFIX;
        rendersStarted = metrics.counter(prefix + "renders_started");
        rendersCompleted = metrics.counter(prefix + "renders_completed");
        renderFailures = metrics.counter(prefix + "render_failures");
        rendersGivenUp = metrics.counter(prefix + "renders_given_up");
        renderTime = metrics.timer(prefix + "render_time");
        recordingsReady = metrics.counter(prefix + "recordings_ready"); // the Archiver's counter, same name
        metrics.gauge(prefix + "render_progress_percent", () -> (Gauge<Double>) this::progressPercent);
        metrics.gauge(prefix + "renders_in_flight", () -> (Gauge<Integer>) inFlight::size);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts the claim rounds: at once (recordings a dead process left 'rendering'), then periodically. */
    public void start() {
        long period = Math.max(1000, settings.claimTimeout().toMillis() / 2);
        scheduler.scheduleWithFixedDelay(this::claimRound, 0, period, TimeUnit.MILLISECONDS);
    }

    /** A recording became 'rendering': claim it soon. */
    public void poke() {
        try {
            scheduler.execute(this::claimRound);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("shutting down: the recording is claimed at the next start");
        }
    }

    /** Progress of the renders running here, 0..100 (the least advanced); 0 when none. */
    public double progressPercent() {
        return inFlight.values().stream().min(Comparator.naturalOrder()).map(p -> p * 100).orElse(0.0);
    }

    public int inFlight() {
        return inFlight.size();
    }

    private void claimRound() {
        try {
            for (String recordingId : List.copyOf(inFlight.keySet())) {
                state.renderHeartbeat(recordingId, settings.owner());
            }
            int idle = settings.concurrency() - inFlight.size();
            if (idle <= 0) {
                return;
            }
            Instant staleBefore = clock.instant().minus(settings.claimTimeout());
            for (ArchiveState.RecordingRow row : state.claimRenders(settings.owner(), staleBefore, idle)) {
                if (inFlight.putIfAbsent(row.recordingId(), 0.0) == null) {
                    LOG.info("rendering recording {} (claimed by {})", row.recordingId(), settings.owner());
                    renderers.execute(() -> render(row));
                }
            }
        } catch (Exception e) {
            LOG.warn("render claim round failed: {}", e.toString());
        }
    }

    private void render(ArchiveState.RecordingRow recording) {
        String recordingId = recording.recordingId();
        Path dir = settings.workDir().resolve("render").resolve(recordingId);
        Timer.Context timing = renderTime.time();
        List<ArchiveState.TrackRow> rows = List.of();
        try {
            rendersStarted.inc();
            rows = state.tracks(recordingId);
            RecordingEvents.Ready ready = renderAndStore(recording, rows, dir);
            publisher.publish(Archiver.withStableId(Event.of(ready, clock.instant()), recordingId));
            state.recordingCompleted(recordingId, "ready", null);
            rendersCompleted.inc();
            recordingsReady.inc();
            LOG.info("recording {} ready with its composed file ({} ms, {} bytes) in {} s", recordingId,
                    ready.durationMillis(), ready.sizeBytes(), timing.stop() / 1_000_000_000L);
            inFlight.remove(recordingId);
        } catch (Exception | LinkageError e) {
            timing.stop();
            if (closing) {
                // Shutdown, not a failure: the row stays 'rendering' and is claimed again after the restart.
                LOG.info("recording {}: render stopped by shutdown; it is rendered again later", recordingId);
                inFlight.remove(recordingId);
                return;
            }
            renderFailures.inc();
            failed(recording, rows, e);
        } finally {
            deleteTree(dir);
        }
    }

    private void failed(ArchiveState.RecordingRow recording, List<ArchiveState.TrackRow> rows, Throwable e) {
        String recordingId = recording.recordingId();
        String reason = "render failed: " + e;
        LOG.warn("recording {}: {}", recordingId, reason, e);
        try {
            int attempts = state.renderFailed(recordingId, reason.replace('\0', ' '));
            if (attempts < settings.maxAttempts()) {
                long backoff = settings.retryBackoff().toMillis() << Math.min(attempts - 1, 5);
                LOG.info("recording {}: render attempt {} of {} failed, retrying in {} ms", recordingId, attempts,
                        settings.maxAttempts(), backoff);
                inFlight.put(recordingId, 0.0);
                scheduler.schedule(() -> renderers.execute(() -> retry(recording)), backoff, TimeUnit.MILLISECONDS);
                return;
            }
            // Never lose a recording because composing failed: report its track files.
            Archiver.TrackFiles files = Archiver.trackFiles(rows.isEmpty() ? state.tracks(recordingId) : rows);
            publisher.publish(Archiver.withStableId(Event.of(new RecordingEvents.Ready(recording.meetingId(),
                    recordingId, files.files(), files.durationMillis(), files.sizeBytes(), null), clock.instant()),
                    recordingId));
            state.recordingCompleted(recordingId, "ready", "composed file missing after " + attempts
                    + " render attempts; last: " + reason.replace('\0', ' '));
            rendersGivenUp.inc();
            recordingsReady.inc();
            LOG.error("recording {}: composing failed {} times; reported ready with its {} track file(s) only: {}",
                    recordingId, attempts, files.files().size(), reason);
            inFlight.remove(recordingId);
        } catch (Exception again) {
            // The database or Kafka is down: leave the row 'rendering'; the claim goes stale and is taken again.
            LOG.warn("recording {}: cannot record the failed render ({}); it will be claimed again", recordingId,
                    again.toString());
            inFlight.remove(recordingId);
        }
    }

    private void retry(ArchiveState.RecordingRow recording) {
        try {
            if (!state.renderHeartbeat(recording.recordingId(), settings.owner())) {
                LOG.info("recording {} was taken by another instance or completed; not retrying here",
                        recording.recordingId());
                inFlight.remove(recording.recordingId());
                return;
            }
        } catch (Exception e) {
            LOG.warn("recording {}: cannot renew the claim ({}); it will be claimed again", recording.recordingId(),
                    e.toString());
            inFlight.remove(recording.recordingId());
            return;
        }
        render(recording);
    }

    /** Downloads the stored tracks, renders, uploads the four view files; returns the Ready to publish. */
    RecordingEvents.Ready renderAndStore(ArchiveState.RecordingRow recording, List<ArchiveState.TrackRow> rows,
                                         Path dir) throws Exception {
        String recordingId = recording.recordingId();
        deleteTree(dir);
        List<ArchiveState.TrackRow> stored = rows.stream().filter(r -> r.status().equals("stored")).toList();
        long origin = stored.stream().filter(r -> r.mediaStartMicros() != null)
                .mapToLong(ArchiveState.TrackRow::mediaStartMicros).min().orElse(0);
        List<RenderTrack> tracks = new ArrayList<>();
        for (ArchiveState.TrackRow row : stored) {
            Path file = dir.resolve("tracks").resolve(row.objectKey().substring(row.objectKey().lastIndexOf('/') + 1));
            store.download(row.objectKey(), file);
            String sha256 = ObjectStore.sha256(file);
            if (row.sha256() != null && !row.sha256().equals(sha256)) {
                throw new IOException("track " + row.trackId() + ": stored object's SHA-256 " + sha256
                        + " differs from the recorded " + row.sha256());
            }
            long start = row.mediaStartMicros() == null ? 0 : (row.mediaStartMicros() - origin) / 1000;
            tracks.add(new RenderTrack(row.trackId(), row.participantId(), row.displayName(), row.kind(),
                    row.source(), file, start, row.durationMillis()));
        }
        long lastBeat = System.nanoTime();
        RenderPlan plan = compositor.plan(tracks);
        LOG.info("recording {}: rendering {} ms, {} participant(s), {} track(s), {} layout epoch(s)", recordingId,
                plan.spanMillis(), plan.participants().size(), tracks.size(), plan.epochs().size());
        long[] beat = {lastBeat};
        int[] logged = {-1};
        Compositor.Output output = compositor.render(plan, dir.resolve("view"), fraction -> {
            if (closing) {
                throw new InterruptedException("shutting down");
            }
            inFlight.put(recordingId, fraction);
            int tenth = (int) (fraction * 10);
            if (tenth != logged[0]) {
                logged[0] = tenth;
                LOG.info("recording {}: render {}%", recordingId, tenth * 10);
            }
            if (System.nanoTime() - beat[0] > settings.claimTimeout().toNanos() / 4) {
                beat[0] = System.nanoTime();
                if (!state.renderHeartbeat(recordingId, settings.owner())) {
                    throw new IllegalStateException("the claim on recording " + recordingId + " was lost");
                }
            }
        });
        String prefix = "recordings/" + recordingId + "/";
        StoredObject video = upload(recordingId, output.video(), prefix + COMPOSED_KEY, "video/mp4");
        StoredObject poster = upload(recordingId, output.poster(), prefix + POSTER_KEY, "image/jpeg");
        StoredObject sprite = upload(recordingId, output.thumbnails(), prefix + THUMBNAILS_KEY, "image/jpeg");
        StoredObject vtt = upload(recordingId, output.thumbnailsVtt(), prefix + THUMBNAILS_VTT_KEY, "text/vtt");
        List<RecordingEvents.StoredFile> files = new ArrayList<>(Archiver.trackFiles(rows).files());
        files.add(new RecordingEvents.StoredFile("composed", null, video.key(), "video/mp4", video.sizeBytes(),
                video.sha256()));
        files.add(new RecordingEvents.StoredFile("poster", null, poster.key(), "image/jpeg", poster.sizeBytes(),
                poster.sha256()));
        files.add(new RecordingEvents.StoredFile("thumbnails", null, sprite.key(), "image/jpeg", sprite.sizeBytes(),
                sprite.sha256()));
        files.add(new RecordingEvents.StoredFile("thumbnails_vtt", null, vtt.key(), "text/vtt", vtt.sizeBytes(),
                vtt.sha256()));
        return new RecordingEvents.Ready(recording.meetingId(), recordingId, files, output.durationMillis(),
                video.sizeBytes(), video.sha256());
    }

    private StoredObject upload(String recordingId, Path file, String key, String contentType) throws Exception {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return store.upload(file, key, contentType, new ObjectStore.UploadLog() {
            @Override
            public long intended(String bucket, String objectKey) throws Exception {
                return state.uploadIntended(bucket, objectKey, recordingId, "view:" + name);
            }

            @Override
            public void started(long handle, String uploadId) throws Exception {
                state.uploadStarted(handle, uploadId);
            }

            @Override
            public void ended(long handle) throws Exception {
                state.uploadEnded(handle);
            }
        });
    }

    /** Stops claiming and rendering; a render cut short stays 'rendering' and is claimed again later. */
    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        renderers.shutdownNow();
        try {
            renderers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", dir, e.toString());
        }
    }
}
