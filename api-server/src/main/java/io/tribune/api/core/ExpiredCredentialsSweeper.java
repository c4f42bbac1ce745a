package io.tribune.api.core;

import io.dropwizard.lifecycle.Managed;
import io.tribune.api.db.DatabaseMigrator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes credentials that can no longer be used, once an hour: refresh tokens past their expiry (rotated ones
 * are kept until then, for reuse detection), one-time links a day after they expired, and sessions that ended
 * (expired or revoked) more than {@link #SESSION_HISTORY} ago, which until then stay visible in the data export.
 * Deletes in chunks so that no pass holds many locks; several instances may sweep at once.
 *
 * <p>Thread-safe: the sweeps run on the sweeper's own thread; {@link #sweep} may also be called directly.
 */
public final class ExpiredCredentialsSweeper implements Managed {

    static final Duration INTERVAL = Duration.ofHours(1);
    static final Duration LINK_GRACE = Duration.ofDays(1);
    static final Duration SESSION_HISTORY = Duration.ofDays(30);
    private static final int CHUNK = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredCredentialsSweeper.class);

    private final Jdbi jdbi;
    private final DatabaseMigrator migrator;
    private final Clock clock;
    private ScheduledExecutorService executor;

    public ExpiredCredentialsSweeper(Jdbi jdbi, DatabaseMigrator migrator, Clock clock) {
        this.jdbi = jdbi;
        this.migrator = migrator;
        this.clock = clock;
    }

    /** What one sweep deleted. */
    public record Swept(int refreshTokens, int links, int sessions) {
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "credentials-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sweepQuietly, INTERVAL.toMinutes(), INTERVAL.toMinutes(),
                TimeUnit.MINUTES);
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
            executor = null;
        }
    }

    /** One pass, now. */
    public Swept sweep() {
        Instant now = clock.instant();
        int tokens = deleteInChunks("DELETE FROM refresh_tokens WHERE token_hash IN (SELECT token_hash FROM"
                + " refresh_tokens WHERE expires_at < :cutoff LIMIT :chunk)", now);
        int links = deleteInChunks("DELETE FROM one_time_links WHERE id_hash IN (SELECT id_hash FROM"
                + " one_time_links WHERE expires_at < :cutoff LIMIT :chunk)", now.minus(LINK_GRACE));
        int sessions = deleteInChunks("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions"
                + " WHERE least(revoked_at, expires_at) < :cutoff LIMIT :chunk)",
                now.minus(SESSION_HISTORY));
        return new Swept(tokens, links, sessions);
    }

    private int deleteInChunks(String sql, Instant cutoff) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbi.withHandle(handle -> handle.createUpdate(sql)
                    .bind("cutoff", cutoff)
                    .bind("chunk", CHUNK)
                    .execute());
            total += deleted;
        } while (deleted == CHUNK);
        return total;
    }

    private void sweepQuietly() {
        if (!migrator.isReady()) {
            return;
        }
        try {
            Swept swept = sweep();
            if (swept.refreshTokens() + swept.links() + swept.sessions() > 0) {
                LOG.info("Deleted {} expired refresh tokens, {} expired links, {} ended sessions",
                        swept.refreshTokens(), swept.links(), swept.sessions());
            }
        } catch (RuntimeException e) {
            LOG.warn("Sweeping expired credentials failed; trying again in {}", INTERVAL, e);
        }
    }
}
