package io.tribune.ops;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import io.tribune.platform.UdpPorts;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code tribune up} for the ITs that drive it: the supervisor in a JVM of its own (as the README's first
 * command runs it), on free ports and a data directory of the test's, with {@code tribune down} to end it.
 */
final class TribuneUp implements AutoCloseable {

    /** Every port `tribune up` opens, as {@code TRIBUNE_<NAME>_PORT}. */
    static final List<String> PORTS = List.of("API", "ADMIN", "POSTGRES", "KAFKA", "REDIS", "S3", "SFU", "SFU_ADMIN",
            "MEDIA", "SMTP", "MAILBOX", "NOTIFY_ADMIN", "HLS", "HLS_ADMIN", "HLS_INGEST", "TRANSCODER_ADMIN", "SRT",
            "ARCHIVE_ADMIN", "TRANSCRIPTION_ADMIN");
    /** Eleven services on a loaded 2-core machine. */
    private static final long READY_SECONDS = 300;

    private final Map<String, String> env;
    private final Path dataDir;
    /** The running {@code tribune up}: the first, or the one {@link #upAgain()} started. */
    private Process supervisor;

    private TribuneUp(Map<String, String> env, Path dataDir, Process supervisor) {
        this.env = env;
        this.dataDir = dataDir;
        this.supervisor = supervisor;
    }

    /**
     * Starts Tribune in {@code dataDir} on free ports, with {@code settings} (more {@code TRIBUNE_*} variables);
     * returns once it printed that it is up.
     */
    static TribuneUp start(Path dataDir, Map<String, String> settings) throws Exception {
        Map<String, String> env = environment(dataDir);
        env.putAll(settings);
        return new TribuneUp(env, dataDir, launch(env));
    }

    /**
     * The environment of a `tribune up` in {@code dataDir} with every port set to a free one, the stage RTP range
     * (two town halls of 64 ports) included.
     */
    static Map<String, String> environment(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUNE_DATA_DIR", dataDir.toString());
        List<Integer> ports = Ports.distinctFree(PORTS.size());
        for (int i = 0; i < PORTS.size(); i++) {
            env.put("TRIBUNE_" + PORTS.get(i) + "_PORT", Integer.toString(ports.get(i)));
        }
        try {
            env.put("TRIBUNE_STAGE_RTP_PORT", Integer.toString(UdpPorts.evenFreeBlock(64 * 2)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }


    /**
     * Runs {@code tribune up} with {@code env} in a child JVM and returns it once it printed "Tribune is up in";
     * its later output is drained and dropped.
     *
     * @throws AssertionError with everything it printed, when it was not up within 5 minutes
     */
    static Process launch(Map<String, String> env) throws IOException {
        String classpath = Path.of("target", "classes").toAbsolutePath() + ":"
                + Files.readString(Path.of("target", "classpath.txt")).trim();
        ProcessBuilder builder = new ProcessBuilder(Jvm.javaBinary(), "-Xmx1g", "-cp", classpath,
                TribuneCli.class.getName(), "up").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith("Tribune is up in")) {
                Thread drain = new Thread(() -> reader.lines().forEach(l -> { }), "drain-up-output");
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("tribune up did not become ready:\n" + output);
    }

    /** What a CLI command printed, and its exit code. */
    record CliRun(int exitCode, String output) {
    }

    /** Runs a {@code tribune} command in this JVM against the same data directory and ports. */
    static CliRun cli(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = TribuneCli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), env);
        return new CliRun(code, bytes.toString(StandardCharsets.UTF_8));
    }

    /** The web client and REST API, e.g. {@code http://127.0.0.1:8080}. */
    String baseUrl() {
        return "http://127.0.0.1:" + env.get("TRIBUNE_API_PORT");
    }

    Map<String, String> env() {
        return env;
    }

    Path dataDir() {
        return dataDir;
    }

    Settings settings() {
        return Settings.load(null, env);
    }

    /** Prints the last {@code count} lines of each service log named (e.g. {@code sfu.log}) that exists. */
    void printLogTails(int count, String... logs) {
        for (String log : logs) {
            Path file = dataDir.resolve("logs").resolve(log);
            try {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file);
                    System.out.println("--- last lines of " + log);
                    lines.subList(Math.max(0, lines.size() - count), lines.size()).forEach(System.out::println);
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("--- cannot read " + log + ": " + e);
            }
        }
    }

    /** SIGKILLs the supervisor, as a crash or an OOM killer would, and waits until it is gone. */
    void killSupervisor() throws InterruptedException {
        supervisor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * {@code tribune up} again on the same data directory and ports (after {@link #killSupervisor()} and a
     * {@code tribune down}); returns once it printed that it is up; {@link #close()} ends it.
     */
    void upAgain() throws IOException {
        supervisor = launch(env);
    }

    /** The running supervisor's process. */
    Process supervisor() {
        return supervisor;
    }

    /** {@code tribune down}, then the supervisor is killed should it still run. */
    @Override
    public void close() throws Exception {
        try {
            cli(env, "down");
        } finally {
            supervisor.destroyForcibly();
        }
    }
}
