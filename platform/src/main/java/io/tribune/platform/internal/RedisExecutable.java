package io.tribune.platform.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * The redis-server binary the embedded Redis runs: the one bundled in {@code com.github.codemonstur:embedded-redis}
 * (Redis 6.2.11 for Linux x86-64, needs libssl3), or Debian's {@code /usr/bin/redis-server} when the bundled one
 * cannot run here. Each candidate is proven by running it with {@code --version}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisExecutable {

    /** Debian's package, the fallback. */
    public static final Path DEBIAN_REDIS_SERVER = Path.of("/usr/bin/redis-server");

    private static final Logger LOG = LoggerFactory.getLogger(RedisExecutable.class);
    private static final Pattern VERSION = Pattern.compile("v=(\\S+)");
    private static final long PROBE_TIMEOUT_SECONDS = 10;
    /** Tries and pause when the fresh copy is still "text file busy" (ETXTBSY) at its first run. */
    private static final int TEXT_BUSY_ATTEMPTS = 40;
    private static final long TEXT_BUSY_WAIT_MILLIS = 50;

    private final Path path;
    private final String version;

    private RedisExecutable(Path path, String version) {
        this.path = path;
        this.version = version;
    }

    /**
     * The bundled binary, extracted into {@code binDir}, if it runs here; else Debian's. Extracting into the data
     * directory rather than a fresh temporary directory means a JVM killed with SIGKILL leaves no copy behind in
     * /tmp; the caller must make sure no server still runs from {@code binDir} (the copy is replaced).
     */
    public static RedisExecutable locate(Path binDir) throws IOException {
        Files.createDirectories(binDir);
        File bundled = ExecutableProvider.newJarResourceProvider(binDir.toFile()).get();
        return locate(bundled.toPath(), DEBIAN_REDIS_SERVER);
    }

    /**
     * {@code bundled} if it runs, else {@code fallback} if that runs.
     *
     * @throws IllegalStateException telling the user how to install the fallback
     */
    public static RedisExecutable locate(Path bundled, Path fallback) {
        String bundledProblem;
        try {
            return new RedisExecutable(bundled, probe(bundled));
        } catch (IOException e) {
            bundledProblem = e.getMessage();
        }
        if (Files.isExecutable(fallback)) {
            try {
                RedisExecutable debian = new RedisExecutable(fallback, probe(fallback));
                LOG.warn("redis: the bundled redis-server cannot run here ({}); using {} ({})", bundledProblem,
                        fallback, debian.version);
                return debian;
            } catch (IOException e) {
                throw new IllegalStateException("redis: neither the bundled redis-server (" + bundledProblem
                        + ") nor " + fallback + " (" + e.getMessage() + ") can run here", e);
            }
        }
        throw new IllegalStateException("redis: the bundled redis-server cannot run here (" + bundledProblem
                + ") and " + fallback + " is missing; install it with: apt-get install redis-server");
    }

    /** Runs {@code executable --version}; returns e.g. "Redis 6.2.11". */
    static String probe(Path executable) throws IOException {
        Process process = null;
        for (int attempt = 1; process == null; attempt++) {
            try {
                process = new ProcessBuilder(List.of(executable.toString(), "--version"))
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                // ETXTBSY: a process another thread forked while the copy was still open for writing holds that
                // descriptor until it execs; it goes away within milliseconds, so try again.
                if (e.getMessage() == null || !e.getMessage().contains("error=26") || attempt >= TEXT_BUSY_ATTEMPTS) {
                    throw new IOException("cannot execute " + executable + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(TEXT_BUSY_WAIT_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while probing " + executable, interrupted);
                }
            }
        }
        try (InputStream in = process.getInputStream()) {
            String output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(executable + " --version did not finish in " + PROBE_TIMEOUT_SECONDS + " s");
            }
            Matcher version = VERSION.matcher(output);
            if (process.exitValue() != 0 || !output.startsWith("Redis server") || !version.find()) {
                throw new IOException(executable + " --version exited with " + process.exitValue() + ": " + output);
            }
            return "Redis " + version.group(1);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + executable, e);
        }
    }

    public Path path() {
        return path;
    }

    /** E.g. "Redis 6.2.11". */
    public String version() {
        return version;
    }

    @Override
    public String toString() {
        return path + " (" + version + ")";
    }
}
