package io.tribune.platform;

import io.tribune.platform.internal.KafkaExitGuard;
import io.tribune.platform.internal.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one node, id 1), running in this JVM,
 * with its log in {@code <dataDir>/kafka/log}.
 *
 * <p>The first start formats the log directory with a new cluster id, kept in {@code <dataDir>/kafka/cluster.id};
 * later starts reuse it, so topics, records and committed offsets survive {@link #stop()} and {@link #start()} and a
 * restart of the JVM. The client listener stays on the same port across restarts; the controller listener takes a
 * free loopback port each time (the quorum is static, so its address is not stored).
 *
 * <p>Defaults suit one node: replication factor 1 everywhere, 3 partitions per auto-created topic, no initial
 * rebalance delay, a 2 MiB log-cleaner buffer instead of 128 MiB of heap.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} are synchronized; the accessors read volatile fields. Starting
 * installs {@link KafkaExitGuard}, so that a fatal broker error cannot end the JVM.
 */
public final class KafkaComponent implements Component {

    public static final String NAME = "kafka";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaComponent.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** How long start() waits for the broker to answer a client after KafkaRaftServer.startup() returned. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private volatile int port;
    private volatile KafkaRaftServer server;
    private volatile String clusterId;

    /**
     * @param dataDir the platform's data directory; the broker's files live in {@code dataDir/kafka}
     * @param port    the client (PLAINTEXT) port, or 0 to pick a free one at the first start and keep it
     */
    public KafkaComponent(Path dataDir, int port) {
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
        Path logDir = directory.resolve("log");
        Files.createDirectories(logDir);
        String cluster = readOrCreateClusterId(logDir);
        int clientPort = Ports.freeOrPick(port, NAME);
        int controllerPort = Ports.pickFree();
        Properties properties = brokerProperties(logDir, clientPort, controllerPort);

        KafkaExitGuard.install();
        format(cluster, logDir);
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        port = clientPort;
        try {
            starting.startup();
            awaitClients(bootstrap(clientPort));
        } catch (Exception e) {
            shutdown(starting);
            throw new IllegalStateException(NAME + " failed to start on port " + clientPort + " with data in "
                    + directory + ": " + e.getMessage(), e);
        } catch (Error e) {
            shutdown(starting);
            throw e;
        }
        clusterId = cluster;
        server = starting;
        LOG.info("{} ({}) started on {} in {} ms, cluster {}, data in {}", NAME, version(), bootstrapServers(),
                (System.nanoTime() - startNanos) / 1_000_000, cluster, directory);
    }

    @Override
    public synchronized void stop() {
        KafkaRaftServer running = server;
        if (running == null) {
            return;
        }
        server = null;
        long stopNanos = System.nanoTime();
        shutdown(running);
        LOG.info("{} stopped in {} ms", NAME, (System.nanoTime() - stopNanos) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int port() {
        return port;
    }

    /** E.g. "Kafka 4.3.1". */
    @Override
    public String version() {
        return "Kafka " + AppInfoParser.getVersion();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrap(port);
    }

    /** The KRaft cluster id, read or created at the first start; null before it. */
    public String clusterId() {
        return clusterId;
    }

    /** The broker's directory, {@code <dataDir>/kafka}. */
    public Path directory() {
        return directory;
    }

    private static String bootstrap(int clientPort) {
        return Ports.LOOPBACK.getHostAddress() + ":" + clientPort;
    }

    /** The broker's configuration; package-private for tests. */
    static Properties brokerProperties(Path logDir, int clientPort, int controllerPort) {
        String host = Ports.LOOPBACK.getHostAddress();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + clientPort
                + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());

        p.setProperty("num.partitions", "3");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // The cleaner's default 128 MiB dedupe buffer is allocated on the heap of the JVM that hosts the broker.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        return p;
    }

    /**
     * The cluster id in {@code cluster.id}; if that file is missing but the log was formatted before, the id in the
     * log's meta.properties (the broker refuses to start under another id); otherwise a new random id. Written back
     * to {@code cluster.id} in every case.
     */
    private String readOrCreateClusterId(Path logDir) throws IOException {
        Path idFile = directory.resolve("cluster.id");
        String id = null;
        if (Files.isRegularFile(idFile)) {
            id = Files.readString(idFile, StandardCharsets.US_ASCII).trim();
        }
        Path metaProperties = logDir.resolve("meta.properties");
        if ((id == null || id.isEmpty()) && Files.isRegularFile(metaProperties)) {
            Properties meta = new Properties();
            try (InputStream in = Files.newInputStream(metaProperties)) {
                meta.load(in);
            }
            id = meta.getProperty("cluster.id");
        }
        if (id == null || id.isEmpty()) {
            id = Uuid.randomUuid().toString();
        }
        Files.writeString(idFile, id + "\n", StandardCharsets.US_ASCII);
        return id;
    }

    /** Formats the log directory once; a directory formatted before is left as it is. */
    private static void format(String cluster, Path logDir) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(cluster)
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        }
        LOG.debug("{} format: {}", NAME, output.toString(StandardCharsets.UTF_8).trim());
    }

    /** Returns once a client gets the cluster's broker list from {@code bootstrap}. */
    private static void awaitClients(String bootstrap) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
        }
        TimeoutException timeout = new TimeoutException("broker at " + bootstrap + " did not answer clients within "
                + READY_TIMEOUT.toSeconds() + " s");
        if (last != null) {
            timeout.initCause(last);
        }
        throw timeout;
    }

    private static void shutdown(KafkaRaftServer running) {
        try {
            running.shutdown();
            running.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("{} did not stop cleanly: {}", NAME, e.toString());
        }
    }

    @Override
    public String toString() {
        return NAME + "[port=" + port + ", running=" + isRunning() + ", directory=" + directory + "]";
    }
}
