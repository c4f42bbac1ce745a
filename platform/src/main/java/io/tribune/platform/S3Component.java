package io.tribune.platform;

import io.tribune.platform.internal.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible object store: S3Proxy ({@code org.gaul:s3proxy}) in this JVM with its filesystem blob store,
 * keeping buckets as directories under {@code <dataDir>/s3}. It accepts AWS signature V2 and V4 requests signed with
 * fixed credentials ({@value #DEFAULT_ACCESS_KEY} / {@value #DEFAULT_SECRET_KEY} unless given) in region
 * {@value #REGION}. Clients must use path-style addressing ({@code forcePathStyle(true)} in the AWS SDK v2).
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} are synchronized; the accessors read volatile fields.
 */
public final class S3Component implements Component {

    public static final String NAME = "s3";
    public static final String DEFAULT_ACCESS_KEY = "tribune";
    public static final String DEFAULT_SECRET_KEY = "tribune-secret";
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(S3Component.class);

    private final Path directory;
    private final String accessKey;
    private final String secretKey;
    private volatile int port;
    private volatile S3Proxy proxy;

    /**
     * With the default credentials.
     *
     * @param dataDir the platform's data directory; objects live in {@code dataDir/s3}
     * @param port    the port to bind, or 0 to pick a free one at the first start and keep it
     */
    public S3Component(Path dataDir, int port) {
        this(dataDir, port, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
    }

    public S3Component(Path dataDir, int port, String accessKey, String secretKey) {
        this.directory = Objects.requireNonNull(dataDir, "dataDir").resolve(NAME);
        this.port = Ports.checkPort(port, NAME);
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        long startNanos = System.nanoTime();
        Files.createDirectories(directory);
        int bindPort = Ports.freeOrPick(port, NAME);
        Properties blobStore = new Properties();
        blobStore.setProperty("jclouds.provider", "filesystem");
        blobStore.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        S3Proxy starting = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", blobStore))
                .endpoint(URI.create(endpoint(bindPort)))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        port = bindPort;
        try {
            starting.start();
        } catch (Exception e) {
            stopQuietly(starting);
            throw new IllegalStateException(NAME + " failed to start on port " + bindPort + " with data in "
                    + directory + ": " + e.getMessage(), e);
        }
        proxy = starting;
        LOG.info("{} ({}) started on {} in {} ms, data in {}", NAME, version(), endpoint(),
                (System.nanoTime() - startNanos) / 1_000_000, directory);
    }

    @Override
    public synchronized void stop() {
        S3Proxy running = proxy;
        if (running == null) {
            return;
        }
        proxy = null;
        long stopNanos = System.nanoTime();
        stopQuietly(running);
        LOG.info("{} stopped in {} ms", NAME, (System.nanoTime() - stopNanos) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return proxy != null;
    }

    @Override
    public int port() {
        return port;
    }

    /** E.g. "S3Proxy 4.1.0". */
    @Override
    public String version() {
        String implementation = S3Proxy.class.getPackage().getImplementationVersion();
        return "S3Proxy " + (implementation == null ? "(unknown version)" : implementation);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return endpoint(port);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Always {@value #REGION}. */
    public String region() {
        return REGION;
    }

    /** The blob store's directory, {@code <dataDir>/s3}; one subdirectory per bucket. */
    public Path directory() {
        return directory;
    }

    private static String endpoint(int bindPort) {
        return "http://" + Ports.LOOPBACK.getHostAddress() + ":" + bindPort;
    }

    private static void stopQuietly(S3Proxy running) {
        try {
            running.stop();
        } catch (Exception e) {
            LOG.warn("{} did not stop cleanly: {}", NAME, e.toString());
        }
    }

    @Override
    public String toString() {
        return NAME + "[port=" + port + ", running=" + isRunning() + ", directory=" + directory + "]";
    }
}
