package io.tribune.platform;

import io.tribune.platform.internal.DirectoryLock;
import io.tribune.platform.internal.Ports;
import io.tribune.platform.internal.StaleProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL, Kafka, Redis and S3 for one machine: the parts {@code tribune up} supervises and integration tests run
 * against. Each part is either embedded ({@link Component}, data under {@link #dataDir()}) or external (a URL given to
 * the {@link Builder}, which is then neither started nor stopped here).
 *
 * <pre>{@code
 * try (EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(Path.of(".tribune/data")).build()) {
 *     platform.start();
 *     PlatformUrls urls = platform.urls();
 * }
 * }</pre>
 *
 * <p>While started, a JVM shutdown hook closes the platform, so that Ctrl-C stops every part gracefully.
 *
 * <p>Thread-safe: {@link #start()} and {@link #close()} are synchronized. The parts are independent, so
 * {@code start()} starts them in parallel, one thread each; if one fails, the others are stopped and {@code start()}
 * throws at once, naming the part that failed.
 */
public final class EmbeddedPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);
    /** How long a failed start waits for the other parts' starts to settle before stopping them. */
    private static final long SETTLE_SECONDS = 120;
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(15);

    private final Path dataDir;
    private final PostgresComponent postgres;
    private final KafkaComponent kafka;
    private final RedisComponent redis;
    private final S3Component s3;
    private final List<Component> components;
    private final Builder external;
    private volatile boolean started;
    /** Stops the parts if the JVM exits while they run (Ctrl-C on `tribune up`); guarded by this. */
    private Thread shutdownHook;

    private EmbeddedPlatform(Builder builder) {
        this.dataDir = builder.dataDir;
        this.external = builder;
        this.postgres = builder.postgresJdbcUrl == null ? new PostgresComponent(dataDir, builder.postgresPort) : null;
        this.kafka = builder.kafkaBootstrap == null ? new KafkaComponent(dataDir, builder.kafkaPort) : null;
        this.redis = builder.redisUri == null ? new RedisComponent(dataDir, builder.redisPort) : null;
        this.s3 = builder.s3Endpoint == null ? new S3Component(dataDir, builder.s3Port) : null;
        List<Component> embedded = new ArrayList<>();
        for (Component component : new Component[] {postgres, kafka, redis, s3}) {
            if (component != null) {
                embedded.add(component);
            }
        }
        this.components = Collections.unmodifiableList(embedded);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Stops the PostgreSQL and Redis servers that a platform killed with SIGKILL left running on {@code dataDir}
     * (Kafka and S3 run inside the JVM and died with it). Servers of a live platform on the same directory are
     * left alone: its lock on the directory says it is alive. {@link #start()} does the same by itself; this is for
     * {@code tribune down} after a crash.
     *
     * @return the names of the parts whose leftover server was stopped
     */
    public static List<String> stopLeftovers(Path dataDir) throws IOException {
        List<String> stopped = new ArrayList<>();
        Path redis = dataDir.resolve(RedisComponent.NAME);
        if (Files.isRegularFile(redis.resolve("redis.pid")) && !lockedByLiveProcess(redis.resolve("component.lock"))
                && StaleProcesses.stopIfRunning(redis.resolve("redis.pid"), "redis-server", LEFTOVER_WAIT,
                RedisComponent.NAME)) {
            Files.deleteIfExists(redis.resolve("redis.pid"));
            stopped.add(RedisComponent.NAME);
        }
        Path postgres = dataDir.resolve(PostgresComponent.NAME);
        if (Files.isRegularFile(postgres.resolve("postmaster.pid")) && !lockedByLiveProcess(postgres.resolve("epg-lock"))
                && StaleProcesses.stopIfRunning(postgres.resolve("postmaster.pid"), "postgres", LEFTOVER_WAIT,
                PostgresComponent.NAME)) {
            stopped.add(PostgresComponent.NAME);
        }
        return stopped;
    }

    private static boolean lockedByLiveProcess(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (DirectoryLock ignored = DirectoryLock.acquire(lockFile, lockFile.getParent().getFileName().toString())) {
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /**
     * Starts every embedded part that is not running, in parallel, and returns once all accept clients; parts already
     * running (e.g. all of them, on a second call) are left alone.
     *
     * @throws IllegalStateException naming the part that failed; the parts this call started are stopped again
     */
    public synchronized void start() throws Exception {
        // Each part checks its own port, after stopping a server a killed earlier run left on this data directory
        // (which holds the port too): checking here first would report that leftover as "port in use".
        List<Component> toStart = components.stream().filter(component -> !component.isRunning()).toList();
        long startNanos = System.nanoTime();
        Map<String, Long> millis = Collections.synchronizedMap(new LinkedHashMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, toStart.size()), startThreads());
        CompletionService<Component> completion = new ExecutorCompletionService<>(pool);
        Map<Future<Component>, Component> pending = new HashMap<>();
        try {
            for (Component component : toStart) {
                pending.put(completion.submit(() -> {
                    long componentNanos = System.nanoTime();
                    component.start();
                    millis.put(component.name(), (System.nanoTime() - componentNanos) / 1_000_000);
                    return component;
                }), component);
            }
            for (int done = 0; done < toStart.size(); done++) {
                Future<Component> finished = completion.take();
                try {
                    finished.get();
                } catch (ExecutionException e) {
                    Component failed = pending.get(finished);
                    abort(pool, toStart);
                    String reason = String.valueOf(e.getCause().getMessage());
                    throw new IllegalStateException("embedded platform failed to start: "
                            + (reason.startsWith(failed.name()) ? reason : failed.name() + ": " + reason),
                            e.getCause());
                }
            }
        } catch (InterruptedException e) {
            abort(pool, toStart);
            throw e;
        } finally {
            pool.shutdown();
        }
        started = true;
        if (toStart.isEmpty()) {
            return;
        }
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::closeOnJvmExit, "tribune-platform-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        StringJoiner each = new StringJoiner(", ");
        millis.forEach((name, ms) -> each.add(name + " " + ms + " ms"));
        LOG.info("embedded platform started in {} ms ({}), data in {}", (System.nanoTime() - startNanos) / 1_000_000,
                each, dataDir);
    }

    /**
     * Waits for the starts still running to settle, then stops the parts this start began. The other starts are not
     * interrupted: an interrupted child-process start could leave a server running that nothing would stop.
     */
    private void abort(ExecutorService pool, List<Component> begun) {
        pool.shutdown();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            try {
                pool.awaitTermination(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (!pool.isTerminated()) {
            LOG.warn("embedded platform: some parts were still starting after {} s", SETTLE_SECONDS);
        }
        stopInReverse(begun);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where each part is: the embedded ones' loopback addresses, or the external URLs given to the builder.
     *
     * @throws IllegalStateException if an embedded part has not been started (its port may not be known yet)
     */
    public PlatformUrls urls() {
        if (!started && !components.isEmpty()) {
            throw new IllegalStateException("start() the embedded platform before asking for its URLs");
        }
        return new PlatformUrls(
                postgres != null ? postgres.jdbcUrl() : external.postgresJdbcUrl,
                postgres != null ? postgres.username() : external.postgresUser,
                postgres != null ? postgres.password() : external.postgresPassword,
                kafka != null ? kafka.bootstrapServers() : external.kafkaBootstrap,
                redis != null ? redis.uri() : external.redisUri,
                s3 != null ? s3.endpoint() : external.s3Endpoint,
                s3 != null ? s3.accessKey() : external.s3AccessKey,
                s3 != null ? s3.secretKey() : external.s3SecretKey,
                s3 != null ? s3.region() : external.s3Region);
    }

    /** The embedded PostgreSQL, or null if an external one was given. */
    public PostgresComponent postgres() {
        return postgres;
    }

    /** The embedded Kafka broker, or null if an external one was given. */
    public KafkaComponent kafka() {
        return kafka;
    }

    /** The embedded Redis, or null if an external one was given. */
    public RedisComponent redis() {
        return redis;
    }

    /** The embedded S3, or null if an external one was given. */
    public S3Component s3() {
        return s3;
    }

    /** The embedded parts in start order (postgres, kafka, redis, s3), external ones left out. Unmodifiable. */
    public List<Component> components() {
        return components;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isStarted() {
        return started;
    }

    /**
     * Stops the embedded parts in reverse order. Never throws; a part that fails to stop is logged. Closing again,
     * or closing a platform that never started, does nothing.
     */
    @Override
    public synchronized void close() {
        stopInReverse(components);
        started = false;
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already exiting; the hook runs, finds the parts stopped and does nothing.
            }
        }
    }

    /**
     * A broker that dies with its JVM is not a problem for its data, but the next start then waits out the old
     * broker's session (broker.session.timeout.ms, 9 s) before it may register again; a graceful stop avoids that.
     */
    private void closeOnJvmExit() {
        if (started) {
            LOG.info("JVM exiting: stopping the embedded platform");
            close();
        }
    }

    private static void stopInReverse(List<Component> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            Component component = parts.get(i);
            try {
                component.stop();
            } catch (RuntimeException e) {
                LOG.warn("embedded platform: {} failed to stop", component.name(), e);
            }
        }
    }

    private static ThreadFactory startThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "tribune-platform-start-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "EmbeddedPlatform[dataDir=" + dataDir + ", components=" + components + ", started=" + started + "]";
    }

    /**
     * Configures an {@link EmbeddedPlatform}. Ports default to 0 (pick a free one); an external part replaces the
     * embedded one. Not thread-safe.
     */
    public static final class Builder {
        private Path dataDir;
        private int postgresPort;
        private int kafkaPort;
        private int redisPort;
        private int s3Port;
        private String postgresJdbcUrl;
        private String postgresUser;
        private String postgresPassword;
        private String kafkaBootstrap;
        private String redisUri;
        private String s3Endpoint;
        private String s3AccessKey;
        private String s3SecretKey;
        private String s3Region;

        private Builder() {
        }

        /** Required: the embedded parts keep their data in its subdirectories postgres, kafka, redis and s3. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder postgresPort(int port) {
            this.postgresPort = Ports.checkPort(port, PostgresComponent.NAME);
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = Ports.checkPort(port, KafkaComponent.NAME);
            return this;
        }

        public Builder redisPort(int port) {
            this.redisPort = Ports.checkPort(port, RedisComponent.NAME);
            return this;
        }

        public Builder s3Port(int port) {
            this.s3Port = Ports.checkPort(port, S3Component.NAME);
            return this;
        }

        /** Use this PostgreSQL instead of starting one. */
        public Builder externalPostgres(String jdbcUrl, String user, String password) {
            this.postgresJdbcUrl = requireText(jdbcUrl, "jdbcUrl");
            this.postgresUser = Objects.requireNonNull(user, "user");
            this.postgresPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Use this Kafka cluster instead of starting a broker. */
        public Builder externalKafka(String bootstrap) {
            this.kafkaBootstrap = requireText(bootstrap, "bootstrap");
            return this;
        }

        /** Use this Redis instead of starting one. */
        public Builder externalRedis(String uri) {
            this.redisUri = requireText(uri, "uri");
            return this;
        }

        /** Use this S3 API instead of starting S3Proxy. */
        public Builder externalS3(String endpoint, String accessKey, String secretKey, String region) {
            this.s3Endpoint = requireText(endpoint, "endpoint");
            this.s3AccessKey = Objects.requireNonNull(accessKey, "accessKey");
            this.s3SecretKey = Objects.requireNonNull(secretKey, "secretKey");
            this.s3Region = requireText(region, "region");
            return this;
        }

        /**
         * @throws IllegalStateException if no data directory was given
         * @throws IllegalArgumentException if two embedded parts ask for the same fixed port
         */
        public EmbeddedPlatform build() {
            if (dataDir == null) {
                throw new IllegalStateException("dataDir is required");
            }
            Map<Integer, String> fixed = new HashMap<>();
            requireDistinct(fixed, postgresJdbcUrl == null ? postgresPort : 0, PostgresComponent.NAME);
            requireDistinct(fixed, kafkaBootstrap == null ? kafkaPort : 0, KafkaComponent.NAME);
            requireDistinct(fixed, redisUri == null ? redisPort : 0, RedisComponent.NAME);
            requireDistinct(fixed, s3Endpoint == null ? s3Port : 0, S3Component.NAME);
            return new EmbeddedPlatform(this);
        }

        private static void requireDistinct(Map<Integer, String> fixed, int port, String component) {
            if (port == 0) {
                return;
            }
            String other = fixed.putIfAbsent(port, component);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + component + " both ask for port " + port);
            }
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
