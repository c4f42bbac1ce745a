package io.tribune.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service running as a child JVM of the supervisor, on the supervisor's classpath, through {@link ServiceMain}
 * so it dies with the supervisor. Output goes to its own log file. Thread-safe: a start thread starts it while the
 * shutdown hook may stop it.
 */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String mainClass;
    private final List<String> args;
    private final List<String> jvmArgs;
    private final Path logFile;
    private final URI readyUrl;
    private volatile Process process;
    private boolean stopping;

    ServiceProcess(String name, String mainClass, List<String> args, List<String> jvmArgs, Path logFile,
                   URI readyUrl) {
        this.name = name;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.jvmArgs = List.copyOf(jvmArgs);
        this.logFile = logFile;
        this.readyUrl = readyUrl;
    }

    String name() {
        return name;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    URI readyUrl() {
        return readyUrl;
    }

    /** Starts the JVM, unless {@link #stop} came first (a shutdown while services are starting). */
    synchronized void start() throws IOException {
        if (stopping) {
            throw new CliException(name + " was not started: Tribune is stopping");
        }
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaBinary());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServiceMain.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(mainClass);
        command.addAll(args);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    /** Waits until {@link #readyUrl} answers 200; fails with the end of the log if the process dies or time runs out. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new CliException(name + " exited with status " + process.exitValue() + " while starting."
                        + " Last lines of " + logFile + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(readyUrl)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            Thread.sleep(150);
        }
        throw new CliException(name + " was not ready within " + timeout.toSeconds() + " s (" + readyUrl + ": "
                + lastProblem + "). Last lines of " + logFile + ":\n" + tail(40));
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    synchronized void stop(Duration grace) {
        stopping = true;
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
