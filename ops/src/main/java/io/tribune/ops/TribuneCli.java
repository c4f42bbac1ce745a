package io.tribune.ops;

import io.tribune.ops.bench.Benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java side of {@code ops/tribune}: {@code up}, {@code down}, {@code status}, {@code bench NAME} and the
 * internal {@code wait-ready}. {@code test} and building live in the shell script. Errors the user can act on are
 * one line on stderr, never a stack trace.
 */
public final class TribuneCli {

    static final String USAGE = """
            usage: ops/tribune [--config FILE] [--data-dir DIR] COMMAND

              up [--detach]   start the whole platform (embedded parts + services) and print where to open it
              down            stop a running platform
              status          each component: up/down, port, version
              test            build and run every test (unit, integration, browser)
              bench NAME      run a benchmark and print its result line (bench list: all names)
              transcribe FILE print a WAV/MP4/WebM/Ogg file's speech as WebVTT (Vosk; --model DIR or
                              $TRIBUNE_VOSK_MODEL picks another model than the built-in English one)

            Settings: ./tribune.yml, --config FILE or $TRIBUNE_CONFIG (see ops/tribune.example.yml);
            environment overrides: TRIBUNE_DATA_DIR, TRIBUNE_{API,ADMIN,POSTGRES,KAFKA,REDIS,S3}_PORT,
            TRIBUNE_DATABASE_URL/_USER/_PASSWORD, TRIBUNE_KAFKA_BOOTSTRAP, TRIBUNE_REDIS_URI,
            TRIBUNE_S3_ENDPOINT/_ACCESS_KEY/_SECRET_KEY/_REGION.
            """;

    private TribuneCli() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.getenv());
        } catch (CliException e) {
            System.err.println("tribune: " + e.getMessage());
            status = e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
        } catch (Exception e) {
            System.err.println("tribune: unexpected failure: " + e);
            e.printStackTrace(System.err);
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] argv, PrintStream out, Map<String, String> environment) throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        Path config = null;
        List<String> args = new ArrayList<>(List.of(argv));
        while (!args.isEmpty() && args.get(0).startsWith("--")) {
            String option = args.remove(0);
            switch (option) {
                case "--config" -> config = Path.of(value(args, option));
                case "--data-dir" -> env.put("TRIBUNE_DATA_DIR", value(args, option));
                case "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new CliException("unknown option " + option + "\n" + USAGE, 2);
            }
        }
        if (args.isEmpty()) {
            out.print(USAGE);
            return 2;
        }
        String command = args.remove(0);
        if (command.equals("transcribe")) {
            return transcribe(args, out, env);
        }
        Settings settings = Settings.load(config, env);
        switch (command) {
            case "up" -> {
                if (args.contains("--detach")) {
                    return detach(settings, out);
                }
                // Before the first logger exists: the platform's own logs go to a file, not the terminal.
                System.setProperty("tribune.log.dir", settings.logDir().toString());
                System.setProperty("logback.configurationFile", "logback-up.xml");
                new Supervisor(settings, out).up();
                return 0;
            }
            case "down" -> {
                return Supervisor.down(settings, out);
            }
            case "status" -> {
                return StatusCommand.run(settings, out);
            }
            case "wait-ready" -> {
                return waitReady(settings, out, args.isEmpty() ? Duration.ofSeconds(120)
                        : Duration.ofSeconds(Long.parseLong(args.get(0))), null);
            }
            case "bench" -> {
                return Benchmarks.run(args, out);
            }
            case "help" -> {
                out.print(USAGE);
                return 0;
            }
            default -> throw new CliException("unknown command '" + command + "'\n" + USAGE, 2);
        }
    }

    /** {@code transcribe [--model DIR] FILE}: the transcription worker's own recognizer on a file. */
    private static int transcribe(List<String> args, PrintStream out, Map<String, String> env) throws Exception {
        try {
            return io.tribune.transcription.cli.TranscribeCommand.run(args, out, env.get("TRIBUNE_VOSK_MODEL"));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    /**
     * {@code up --detach}: starts the supervisor as a background process in its own session (so the terminal's
     * Ctrl-C and hang-up do not reach it), logging to {@code <dataDir>/logs/tribune.log}, and waits until it is up.
     */
    private static int detach(Settings settings, PrintStream out) throws Exception {
        Supervisor.refuseIfRunning(settings);
        java.nio.file.Files.createDirectories(settings.logDir());
        Path log = settings.logDir().resolve("tribune.log");
        List<String> command = new ArrayList<>();
        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of(Jvm.javaBinary(), "-Xms128m", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                TribuneCli.class.getName()));
        if (settings.configFile() != null) {
            command.addAll(List.of("--config", settings.configFile().toAbsolutePath().toString()));
        }
        command.add("up");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("TRIBUNE_DATA_DIR", settings.dataDir().toString());
        Process process = builder.start();
        out.println("Starting Tribune in the background (log: " + log + ") ...");
        try {
            return waitReady(settings, out, Duration.ofSeconds(180), process);
        } catch (CliException e) {
            process.destroy();
            throw e;
        }
    }

    /** For {@code up --detach}: waits until the background supervisor reports running, or died. */
    private static int waitReady(Settings settings, PrintStream out, Duration timeout, Process supervisor)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean sawSupervisor = false;
        Path log = settings.logDir().resolve("tribune.log");
        while (System.nanoTime() < deadline) {
            if (supervisor != null && !supervisor.isAlive()) {
                throw new CliException("Tribune failed to start (exit status " + supervisor.exitValue() + "):\n"
                        + tail(log, 20));
            }
            var state = RunState.read(settings);
            if (state.isPresent()) {
                sawSupervisor = true;
                if (!state.get().supervisorAlive()) {
                    throw new CliException("Tribune failed to start; see " + settings.logDir().resolve("tribune.log"));
                }
                if ("running".equals(state.get().phase())) {
                    out.println("Tribune is up. Open " + state.get().openUrl());
                    return 0;
                }
            } else if (sawSupervisor) {
                throw new CliException("Tribune stopped while starting; see " + settings.logDir().resolve("tribune.log"));
            }
            Thread.sleep(200);
        }
        throw new CliException("Tribune was not up after " + timeout.toSeconds() + " s; see "
                + settings.logDir().resolve("tribune.log"));
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = java.nio.file.Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException e) {
            return "(see " + file + ")";
        }
    }

    private static String value(List<String> args, String option) {
        if (args.isEmpty()) {
            throw new CliException(option + " needs a value", 2);
        }
        return args.remove(0);
    }
}
