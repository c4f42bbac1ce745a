package io.tribune.ops;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What a running {@code tribune up} left in {@code <dataDir>/run/state.json} for {@code status} and {@code down}:
 * the supervisor's pid and every component with its port, version and pid. Written atomically.
 */
record RunState(long supervisorPid, String phase, long startedAtMillis, String openUrl,
                List<ComponentState> components) {

    /** {@code kind}: {@code embedded} (runs inside the supervisor), {@code process} (a child JVM), {@code external}. */
    record ComponentState(String name, String kind, String url, int port, String version, long pid,
                          String healthUrl) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static Path file(Settings settings) {
        return settings.runDir().resolve("state.json");
    }

    static Optional<RunState> read(Settings settings) {
        Path file = file(settings);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void write(Settings settings) {
        Path file = file(settings);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("state.json.tmp");
            JSON.writeValue(tmp.toFile(), this);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void delete(Settings settings) {
        try {
            Files.deleteIfExists(file(settings));
        } catch (IOException ignored) {
            // a stale file is detected by its dead pid next time
        }
    }

    boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }
}
