package io.tribune.api.db;

import io.dropwizard.lifecycle.Managed;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the migrations at startup ({@code migrateOnStart}). When PostgreSQL cannot be reached it does not stop
 * the server from starting: it retries on its own thread until the migrations succeed, and {@link #isReady()}
 * tells the parts that need the schema (the outbox relay, the health check) whether it is there yet. Any other
 * failure (a broken or edited migration) fails startup, as running on an unknown schema would be worse.
 *
 * <p>Thread-safe.
 */
public final class DatabaseMigrator implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrator.class);

    private final DataSource dataSource;
    private final boolean enabled;
    private final Duration retryInterval;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile Thread retryThread;

    public DatabaseMigrator(DataSource dataSource, boolean enabled, Duration retryInterval) {
        this.dataSource = dataSource;
        this.enabled = enabled;
        this.retryInterval = retryInterval;
    }

    @Override
    public void start() {
        if (!enabled) {
            LOG.info("migrateOnStart is false: assuming the schema is current");
            ready.countDown();
            return;
        }
        try {
            migrateOnce();
        } catch (RuntimeException e) {
            if (!isConnectionFailure(e)) {
                throw e;
            }
            lastError.set(describe(e));
            LOG.warn("PostgreSQL is unreachable; migrations will be retried every {} ms: {}",
                    retryInterval.toMillis(), describe(e));
            Thread thread = new Thread(this::retryUntilMigrated, "db-migrator");
            thread.setDaemon(true);
            retryThread = thread;
            thread.start();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        Thread thread = retryThread;
        if (thread != null) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Whether the schema is migrated (or migrations are disabled). */
    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Waits until {@link #isReady()}; returns false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Why the last attempt failed, or null. */
    public String lastError() {
        return lastError.get();
    }

    private void migrateOnce() {
        MigrateResult result = Migrations.migrate(dataSource);
        LOG.info("Database schema at version {} ({} migration(s) applied)",
                result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
                result.migrationsExecuted);
        lastError.set(null);
        ready.countDown();
    }

    private void retryUntilMigrated() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(retryInterval.toMillis());
                migrateOnce();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                lastError.set(describe(e));
                if (isConnectionFailure(e)) {
                    LOG.warn("Migrations still waiting for PostgreSQL: {}", describe(e));
                } else {
                    LOG.error("Migrations failed; retrying", e);
                }
            }
        }
    }

    /** SQLState class 08 is "connection exception"; the pool and the driver both report refusals that way. */
    static boolean isConnectionFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + root + ")";
    }
}
