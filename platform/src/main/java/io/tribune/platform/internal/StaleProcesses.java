package io.tribune.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and stops a server process that a previous JVM started and could not stop because it was killed (SIGKILL,
 * OOM killer): such a child keeps running, holds the port and the data directory, and the next start would fail.
 *
 * <p>Stateless and thread-safe.
 */
public final class StaleProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(StaleProcesses.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private StaleProcesses() {
    }

    /**
     * Reads the pid in the first line of {@code pidFile} and, if that process is alive and its command line contains
     * {@code commandFragment} (so that a recycled pid of an unrelated process is left alone), stops it: SIGTERM, then
     * SIGKILL after {@code grace}.
     *
     * @return whether a process was stopped
     */
    public static boolean stopIfRunning(Path pidFile, String commandFragment, Duration grace, String component)
            throws IOException {
        Optional<Long> pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !commandLine(pid.get()).contains(commandFragment)) {
            return false;
        }
        if (process.get().pid() == ProcessHandle.current().pid()) {
            return false;
        }
        LOG.warn("{}: {} (pid {}) from an earlier run is still running on this data directory; stopping it",
                component, commandFragment, pid.get());
        ProcessHandle handle = process.get();
        handle.destroy();
        if (!awaitExit(handle, grace)) {
            LOG.warn("{}: pid {} ignored SIGTERM for {} s; killing it", component, pid.get(), grace.toSeconds());
            handle.destroyForcibly();
            if (!awaitExit(handle, KILL_WAIT)) {
                throw new IllegalStateException(component + ": cannot stop " + commandFragment + " (pid " + pid.get()
                        + ") left running by an earlier run; stop it by hand");
            }
        }
        return true;
    }

    /** The pid in the first line of {@code pidFile}, or empty if the file is missing or holds no number. */
    public static Optional<Long> readPid(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The process's command line with arguments separated by spaces, or "" if it cannot be read. */
    static String commandLine(long pid) {
        Path procCmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            // Servers such as redis-server rewrite their title in place; /proc shows what they wrote.
            return new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
