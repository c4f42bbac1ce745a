package io.tribune.api.core;

import io.dropwizard.lifecycle.Managed;
import io.tribune.api.auth.AuthConfiguration;
import io.tribune.api.auth.PasswordHasher;
import io.tribune.api.auth.PlatformRole;
import io.tribune.api.db.DatabaseMigrator;
import io.tribune.api.db.UserDao;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.UserEvents;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates the configured first admin ({@code auth.bootstrapAdmin}) once the schema is migrated, unless an account
 * with that email exists (whatever its role: the configuration never changes an existing account). Idempotent,
 * also across instances starting together: the insert does nothing when the address or username is taken. The
 * address counts as verified (the operator chose it).
 *
 * <p>Runs in {@link #start()} when the schema is ready then; otherwise, or when the database cannot be reached,
 * on a background thread that retries every {@link #RETRY_INTERVAL} until it succeeds, so the server starts
 * while PostgreSQL is down. Thread-safe.
 */
public final class BootstrapAdmin implements Managed {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final AuthConfiguration.BootstrapAdminConfiguration configuration;
    private final Jdbi jdbi;
    private final DatabaseMigrator migrator;
    private final PasswordHasher hasher;
    private final OutboxWriter outbox;
    private final AuditLog auditLog;
    private final Clock clock;
    private volatile Thread waiter;

    public BootstrapAdmin(AuthConfiguration.BootstrapAdminConfiguration configuration, Jdbi jdbi,
                          DatabaseMigrator migrator, PasswordHasher hasher, OutboxWriter outbox, AuditLog auditLog,
                          Clock clock) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.migrator = Objects.requireNonNull(migrator, "migrator");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void start() {
        if (migrator.isReady()) {
            try {
                ensureCreated();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Bootstrap admin not created yet ({}); retrying in the background", e.toString());
            }
        }
        Thread thread = new Thread(this::createWhenPossible, "bootstrap-admin");
        thread.setDaemon(true);
        waiter = thread;
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        Thread thread = waiter;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /**
     * Creates the admin unless an account has its email.
     *
     * @return true when this call created it
     */
    public boolean ensureCreated() {
        String email = configuration.getEmail().strip();
        if (jdbi.withExtension(UserDao.class, users -> users.findLiveByEmail(email)).isPresent()) {
            LOG.info("Bootstrap admin: an account with the configured email exists; nothing to do");
            return false;
        }
        String hash = hasher.hash(configuration.getPassword());
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        boolean created = jdbi.inTransaction(handle -> {
            int inserted = handle.attach(UserDao.class).insertIfAbsent(id, configuration.getUsername(), email, hash,
                    PlatformRole.ADMIN.wireName(), now, now);
            if (inserted == 0) {
                return false;
            }
            outbox.append(handle, new UserEvents.Registered(id.toString(), configuration.getUsername(), email));
            auditLog.record(handle, null, AuditLog.USER_BOOTSTRAP_ADMIN_CREATED, AuditLog.TARGET_USER,
                    id.toString(), Map.of());
            return true;
        });
        if (created) {
            LOG.info("Bootstrap admin {} created (user id {})", configuration.getUsername(), id);
        } else if (jdbi.withExtension(UserDao.class, users -> users.findLiveByEmail(email)).isEmpty()) {
            LOG.error("Bootstrap admin not created: the username '{}' is taken by another account; set "
                    + "auth.bootstrapAdmin.username to a free one", configuration.getUsername());
        }
        return created;
    }

    private void createWhenPossible() {
        try {
            while (!migrator.awaitReady(Duration.ofMinutes(1))) {
                LOG.info("Bootstrap admin waits for the database schema");
            }
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ensureCreated();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Bootstrap admin not created yet ({}); retrying in {}", e.toString(), RETRY_INTERVAL);
                    Thread.sleep(RETRY_INTERVAL.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
