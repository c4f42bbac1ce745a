package io.tribune.platform;

import io.tribune.platform.internal.DataDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives integration tests the embedded platform: one {@link EmbeddedPlatform} per JVM, started
 * on first use with every part on a free port and its data in a fresh temporary directory, shared by every test
 * class of the run, stopped when JUnit's root context closes and then deleted.
 *
 * <pre>{@code
 * @ExtendWith(PlatformExtension.class)
 * class MeetingsResourceIT {
 *     @Test
 *     void createsMeeting(PlatformUrls urls) { ... }
 * }
 * }</pre>
 *
 * <p>Test methods, constructors and lifecycle methods may declare parameters of type {@link EmbeddedPlatform} or
 * {@link PlatformUrls}. Code outside a test's parameters may call {@link #platform()}.
 *
 * <p>Thread-safe: the shared platform is created under a lock, so test classes running in parallel get the same
 * instance. If its start fails, every later use fails at once with the same cause instead of retrying. A JVM shutdown
 * hook stops it if JUnit never closes its root context (e.g. {@link #platform()} called outside JUnit).
 */
public final class PlatformExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformExtension.class);
    private static final String STORE_KEY = PlatformExtension.class.getName() + ".platform";
    private static final Object LOCK = new Object();

    // All guarded by LOCK.
    private static EmbeddedPlatform shared;
    private static Path sharedDataDir;
    private static Exception startFailure;
    private static Thread shutdownHook;

    /** The JVM's shared platform, started now if this is its first use. */
    public static EmbeddedPlatform platform() {
        synchronized (LOCK) {
            if (shared != null) {
                return shared;
            }
            if (startFailure != null) {
                throw new IllegalStateException("the embedded platform failed to start earlier in this JVM: "
                        + startFailure.getMessage(), startFailure);
            }
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory("tribune-platform-");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a temporary data directory for the platform", e);
            }
            EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(dataDir).build();
            try {
                platform.start();
            } catch (Exception e) {
                platform.close();
                deleteQuietly(dataDir);
                startFailure = e;
                throw new IllegalStateException(e.getMessage(), e);
            }
            shared = platform;
            sharedDataDir = dataDir;
            shutdownHook = new Thread(PlatformExtension::shutdown, "tribune-platform-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            LOG.info("shared test platform: {}", platform.urls());
            return platform;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        platformFor(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EmbeddedPlatform.class || type == PlatformUrls.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        EmbeddedPlatform platform = platformFor(extensionContext);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == EmbeddedPlatform.class) {
            return platform;
        }
        if (type == PlatformUrls.class) {
            return platform.urls();
        }
        throw new ParameterResolutionException("PlatformExtension cannot resolve " + type.getName());
    }

    /**
     * The shared platform, and a resource in the root context's store that closes it when the whole run ends.
     * Parameter resolution can come before {@code beforeAll} (per-class instances), so both paths register it.
     */
    private static EmbeddedPlatform platformFor(ExtensionContext context) {
        EmbeddedPlatform platform = platform();
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(STORE_KEY, key -> new SharedPlatformCloser(), SharedPlatformCloser.class);
        return platform;
    }

    /** Stops the shared platform and deletes its data; the next {@link #platform()} starts a new one. */
    static void shutdown() {
        synchronized (LOCK) {
            if (shared == null) {
                return;
            }
            shared.close();
            deleteQuietly(sharedDataDir);
            shared = null;
            sharedDataDir = null;
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down; the hook has run or will find nothing to do.
                }
            }
            shutdownHook = null;
        }
    }

    private static void deleteQuietly(Path dataDir) {
        try {
            DataDirectories.deleteRecursively(dataDir);
        } catch (IOException e) {
            LOG.warn("cannot delete the test platform's data in {}: {}", dataDir, e.toString());
        }
    }

    /**
     * Lives in the root context's store; JUnit closes it once, when the run ends. It implements both
     * {@link AutoCloseable} (what JUnit 5.13+ closes) and the older {@code CloseableResource}, for earlier versions.
     */
    @SuppressWarnings("deprecation")
    private static final class SharedPlatformCloser implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            shutdown();
        }
    }
}
