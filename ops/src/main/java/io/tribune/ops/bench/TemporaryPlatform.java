package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tribune.ops.Ports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A whole Tribune started by {@code tribune up} in a child JVM (exactly what the script runs) on free ports and
 * its own data directory, for benchmarks: it never disturbs a platform the user is running. Not thread-safe.
 */
final class TemporaryPlatform implements AutoCloseable {

    // On a 2-core machine shared with other builds, the whole platform took over 180 s to start (2026-11-26).
    private static final long READY_TIMEOUT_SECONDS = 300;
    private static final List<String> PORTS = List.of("API", "ADMIN", "POSTGRES", "KAFKA", "REDIS", "S3", "SFU",
            "SFU_ADMIN", "MEDIA", "SMTP", "MAILBOX", "NOTIFY_ADMIN", "HLS", "HLS_ADMIN", "HLS_INGEST",
            "TRANSCODER_ADMIN", "SRT", "ARCHIVE_ADMIN");

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, Integer> ports = new HashMap<>();
    private Process process;
    private double readySeconds;

    /** A platform on a new temporary data directory, deleted on {@link #close()}. */
    static TemporaryPlatform fresh() throws IOException {
        return new TemporaryPlatform(Files.createTempDirectory("tribune-bench"), true);
    }

    private TemporaryPlatform(Path dataDir, boolean ownsDataDir) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        List<Integer> free = Ports.distinctFree(PORTS.size());
        for (int i = 0; i < PORTS.size(); i++) {
            ports.put(PORTS.get(i), free.get(i));
        }
    }

    /** Launches {@code tribune up} and returns once it printed "Tribune is up"; {@link #readySeconds()} says when. */
    TemporaryPlatform start() throws IOException, InterruptedException {
        return startUntil("Tribune is up in");
    }

    /**
     * Launches {@code tribune up} and returns once {@code service} is ready (the services after it go on starting).
     * For a benchmark of one service: on a loaded machine the whole platform can take over 5 minutes to start.
     */
    TemporaryPlatform startThrough(String service) throws IOException, InterruptedException {
        return startUntil("Starting " + service + " ... ready");
    }

    private TemporaryPlatform startUntil(String readyLine) throws IOException, InterruptedException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms128m",
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.tribune.ops.TribuneCli", "up");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TRIBUNE_DATA_DIR", dataDir.toString());
        // At load average 40-50 (other builds on the 2 cores) the api-server alone took over 90 s to start.
        builder.environment().put("TRIBUNE_SERVICE_START_SECONDS", Long.toString(READY_TIMEOUT_SECONDS));
        ports.forEach((name, port) -> builder.environment().put("TRIBUNE_" + name + "_PORT", Integer.toString(port)));
        long start = System.nanoTime();
        process = builder.start();
        StringBuilder output = new StringBuilder();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith(readyLine)) {
                readySeconds = (System.nanoTime() - start) / 1e9;
                Thread drain = new Thread(() -> drain(reader), "temporary-platform-output");
                drain.setDaemon(true);
                drain.start();
                return this;
            }
            if ((System.nanoTime() - start) / 1e9 > READY_TIMEOUT_SECONDS) {
                break;
            }
        }
        stop();
        throw new IllegalStateException("tribune up did not become ready; its output:\n" + output);
    }

    /** Stops it (SIGTERM, as Ctrl-C would) and waits; the data directory stays for a restart. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Reads the child's output until it ends (or is closed when the child is stopped). */
    private static void drain(BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // discarded: the services write their own log files
            }
        } catch (IOException e) {
            // the stream was closed at shutdown
        }
    }

    /** The pid of a component {@code tribune up} runs as a child process (e.g. {@code api-server}). */
    long componentPid(String name) throws IOException {
        JsonNode state = new ObjectMapper().readTree(dataDir.resolve("run").resolve("state.json").toFile());
        for (JsonNode component : state.path("components")) {
            if (name.equals(component.path("name").asText()) && component.path("pid").asLong() > 0) {
                return component.path("pid").asLong();
            }
        }
        throw new IllegalStateException("no running component " + name + " in " + dataDir);
    }

    /** The pid of the service JVM whose main class is {@code mainClass}, among this platform's processes. */
    long servicePid(String mainClass) {
        // From /proc: ProcessHandle.Info has no arguments for these (their class path makes a long command line).
        return process.descendants().mapToLong(ProcessHandle::pid).filter(pid -> {
            try {
                String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"),
                        StandardCharsets.ISO_8859_1);
                return List.of(commandLine.split("\0")).contains(mainClass);
            } catch (IOException e) {
                return false; // it ended meanwhile
            }
        }).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running " + mainClass + " in " + dataDir));
    }

    double readySeconds() {
        return readySeconds;
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:41234}. */
    String apiUrl() {
        return "http://127.0.0.1:" + ports.get("API");
    }

    Path dataDir() {
        return dataDir;
    }

    /** A service's configuration as {@code tribune up} wrote it, e.g. {@code recording-archive.yml}. */
    JsonNode serviceConfig(String file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(dataDir.resolve("config").resolve(file).toFile());
    }

    /** The platform's Kafka bootstrap servers, as its services have them. */
    String kafkaBootstrap() throws IOException {
        return serviceConfig("transcription-worker.yml").path("kafka").path("bootstrapServers").asText();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        if (ownsDataDir) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
