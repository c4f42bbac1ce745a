package io.tribune.api.core;

import io.dropwizard.lifecycle.Managed;
import io.tribune.events.RecordingEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes recordings past their {@code retention_until} (unless under legal hold), and the recordings an erased
 * account hosted: each the way a host's DELETE does it ({@link RecordingCatalogue#markDeleted}: status
 * {@code deleted}, {@code recording.deleted} through the outbox, an audit entry), so recording-archive removes the
 * objects.
 *
 * <p>The sweep runs every {@code interval} on every api-server instance, in batches of {@code batchSize} rows, each
 * batch one transaction that claims its rows with {@code FOR UPDATE SKIP LOCKED}: instances sweeping at once take
 * different rows, and a row is deleted (and its event sent) once. Legal hold always wins: held recordings are
 * neither swept nor erased with their host's account (they keep the erased account's id, which names no one).
 *
 * <p>Thread-safe.
 */
public final class RecordingRetention implements Managed, UserErasureListener {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingRetention.class);
    /** Batches one run may take, so that a huge backlog never holds the sweep thread for long. */
    private static final int MAX_BATCHES_PER_RUN = 50;

    private final Jdbi jdbi;
    private final RecordingCatalogue catalogue;
    private final Clock clock;
    private final Duration interval;
    private final int batchSize;
    private ScheduledExecutorService scheduler;

    public RecordingRetention(Jdbi jdbi, RecordingCatalogue catalogue, Clock clock, Duration interval,
                              int batchSize) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.catalogue = Objects.requireNonNull(catalogue);
        this.clock = Objects.requireNonNull(clock);
        this.interval = Objects.requireNonNull(interval);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        this.batchSize = batchSize;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "recording-retention");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::run, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void run() {
        try {
            int deleted = sweep();
            if (deleted > 0) {
                LOG.info("retention deleted {} recordings", deleted);
            }
        } catch (RuntimeException e) {
            // The next run tries again; a database that is down must not end the schedule.
            LOG.warn("retention sweep failed: {}", e.toString());
        }
    }

    /** Sweeps until no expired recording is left or {@link #MAX_BATCHES_PER_RUN} batches ran; returns how many. */
    public int sweep() {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            int deleted = sweepBatch();
            total += deleted;
            if (deleted < batchSize) {
                break;
            }
        }
        return total;
    }

    /** One batch in one transaction; returns how many recordings it deleted. */
    public int sweepBatch() {
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            List<Recording> expired = handle.createQuery("SELECT " + RecordingCatalogue.COLUMNS + " FROM recordings "
                            + "WHERE retention_until <= :now AND status <> 'deleted' AND NOT legal_hold "
                            + "AND status <> 'recording' ORDER BY retention_until, id LIMIT :limit "
                            + "FOR UPDATE SKIP LOCKED")
                    .bind("now", now).bind("limit", batchSize)
                    .map(RecordingCatalogue.MAPPER).list();
            for (Recording recording : expired) {
                catalogue.markDeleted(handle, recording, null, RecordingEvents.Deleted.REASON_RETENTION, now);
            }
            return expired.size();
        });
    }

    /** An account is erased: the recordings it hosts go with it, except those under legal hold. */
    @Override
    public void onErase(Handle handle, UUID userId, UUID erasedBy) {
        Instant now = clock.instant();
        List<Recording> hosted = handle.createQuery("SELECT " + RecordingCatalogue.COLUMNS + " FROM recordings "
                        + "WHERE host_id = :user AND status <> 'deleted' AND NOT legal_hold ORDER BY id FOR UPDATE")
                .bind("user", userId.toString()).map(RecordingCatalogue.MAPPER).list();
        for (Recording recording : hosted) {
            catalogue.markDeleted(handle, recording, erasedBy.toString(),
                    RecordingEvents.Deleted.REASON_ACCOUNT_ERASED, now);
        }
    }
}
