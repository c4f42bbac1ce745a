package io.tribune.platform;

import io.tribune.platform.internal.DirectoryLock;
import io.tribune.platform.internal.Ports;
import io.tribune.platform.internal.RedisExecutable;
import io.tribune.platform.internal.StaleProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the binary bundled in {@code com.github.codemonstur:embedded-redis}, Redis 6.2.11, or Debian's
 * {@code redis-server} where the bundled one cannot run) as a child process, bound to 127.0.0.1, with its
 * append-only file and snapshots in {@code <dataDir>/redis}, so that data survives a restart.
 *
 * <p>The binary is copied to {@code <dataDir>/redis/bin} at each start. The server's pid is kept in
 * {@code <dataDir>/redis/redis.pid} while it runs. A JVM killed with SIGKILL cannot stop its child, so
 * {@link #start()} first stops a redis-server still named there; an OS lock on
 * {@code <dataDir>/redis/component.lock}, held while the component runs, guarantees that such a process is an orphan
 * and not the server of another live JVM.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} are synchronized; the accessors read volatile fields.
 */
public final class RedisComponent implements Component {

    public static final String NAME = "redis";

    private static final Logger LOG = LoggerFactory.getLogger(RedisComponent.class);
    private static final Logger SERVER_LOG = LoggerFactory.getLogger("io.tribune.platform.redis-server");
    private static final Duration ORPHAN_SHUTDOWN_WAIT = Duration.ofSeconds(10);
    private static final Duration PID_FILE_WAIT = Duration.ofSeconds(2);

    private final Path directory;
    private volatile int port;
    private volatile RedisServer server;
    private volatile DirectoryLock lock;
    private volatile String version = "Redis (not started)";

    /**
     * @param dataDir the platform's data directory; Redis keeps its files in {@code dataDir/redis}
     * @param port    the port to bind, or 0 to pick a free one at the first start and keep it
     */
    public RedisComponent(Path dataDir, int port) {
        this.directory = Objects.requireNonNull(dataDir, "dataDir").resolve(NAME);
        this.port = Ports.checkPort(port, NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        long startNanos = System.nanoTime();
        Files.createDirectories(directory);
        DirectoryLock acquired = DirectoryLock.acquire(directory.resolve("component.lock"), NAME);
        try {
            if (StaleProcesses.stopIfRunning(pidFile(), "redis-server", ORPHAN_SHUTDOWN_WAIT, NAME)) {
                Files.deleteIfExists(pidFile());
            }
            RedisExecutable executable = RedisExecutable.locate(directory.resolve("bin"));
            int bindPort = Ports.freeOrPick(port, NAME);
            RedisServer starting = new RedisServer(bindPort, arguments(executable.path(), bindPort), false,
                    line -> SERVER_LOG.debug("{}", line), line -> SERVER_LOG.warn("{}", line));
            port = bindPort;
            try {
                starting.start();
            } catch (IOException e) {
                throw new IllegalStateException(NAME + " failed to start on port " + bindPort + " with data in "
                        + directory + ": " + e.getMessage(), e);
            }
            version = executable.version();
            lock = acquired;
            server = starting;
        } catch (Exception | Error e) {
            acquired.close();
            throw e;
        }
        awaitPidFile();
        LOG.info("{} ({}) started on {} in {} ms, data in {}", NAME, version, uri(),
                (System.nanoTime() - startNanos) / 1_000_000, directory);
    }

    @Override
    public synchronized void stop() {
        RedisServer running = server;
        if (running == null) {
            return;
        }
        server = null;
        long stopNanos = System.nanoTime();
        try {
            // SIGTERM: Redis flushes the append-only file, writes a snapshot and removes its pid file.
            running.stop();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} did not stop cleanly: {}", NAME, e.toString());
        }
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("{}: cannot release {}: {}", NAME, directory.resolve("component.lock"), e.toString());
        }
        lock = null;
        LOG.info("{} stopped in {} ms", NAME, (System.nanoTime() - stopNanos) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        RedisServer running = server;
        return running != null && running.isActive();
    }

    @Override
    public int port() {
        return port;
    }

    /** E.g. "Redis 6.2.11". */
    @Override
    public String version() {
        return version;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://" + Ports.LOOPBACK.getHostAddress() + ":" + port;
    }

    /** Redis's directory, {@code <dataDir>/redis}. */
    public Path directory() {
        return directory;
    }

    /** Where the running server's pid is recorded, {@code <dataDir>/redis/redis.pid}. */
    public Path pidFile() {
        return directory.resolve("redis.pid");
    }

    private List<String> arguments(Path executable, int bindPort) {
        return List.of(executable.toString(),
                "--bind", Ports.LOOPBACK.getHostAddress(),
                "--port", Integer.toString(bindPort),
                "--dir", directory.toAbsolutePath().toString(),
                "--appendonly", "yes",
                "--pidfile", pidFile().toAbsolutePath().toString(),
                "--daemonize", "no");
    }

    /** Redis writes its pid file while it starts up; make sure it is there before callers rely on it. */
    private void awaitPidFile() throws InterruptedException {
        long deadline = System.nanoTime() + PID_FILE_WAIT.toNanos();
        while (!Files.isRegularFile(pidFile())) {
            if (System.nanoTime() > deadline) {
                LOG.warn("{}: redis-server wrote no pid file at {}; an orphan left by a killed JVM will not be found",
                        NAME, pidFile());
                return;
            }
            Thread.sleep(10);
        }
    }

    @Override
    public String toString() {
        return NAME + "[port=" + port + ", running=" + isRunning() + ", directory=" + directory + "]";
    }
}
