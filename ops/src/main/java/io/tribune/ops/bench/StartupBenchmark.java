package io.tribune.ops.bench;

import io.tribune.ops.Ports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench startup}: wall time from launching {@code tribune up} (a new JVM, as the script does) to its
 * "Tribune is up" line, i.e. every part started and every service healthy. Each run uses a fresh data directory
 * (initdb, Kafka format: the slowest, first-ever start) and then restarts on the same directory. Free ports, so a
 * running platform is not disturbed.
 */
final class StartupBenchmark implements Benchmark {

    private static final long TIMEOUT_SECONDS = 180;

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String description() {
        return "cold `tribune up` to ready, fresh data dir and restart (startup_s, restart_s)";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 5);
        List<Double> fresh = new ArrayList<>();
        List<Double> restart = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Path dataDir = Files.createTempDirectory("tribune-bench-startup");
            try {
                double first = startOnce(dataDir);
                double second = startOnce(dataDir);
                fresh.add(first);
                restart.add(second);
                System.err.printf(Locale.ROOT, "run %d/%d: fresh %.2f s, restart %.2f s%n", i, runs, first, second);
            } finally {
                deleteTree(dataDir);
            }
        }
        return new Result(List.of(
                String.format(Locale.ROOT, "startup_s=%.2f", Benchmarks.median(fresh)),
                String.format(Locale.ROOT, "restart_s=%.2f", Benchmarks.median(restart)),
                String.format(Locale.ROOT, "max_s=%.2f", fresh.stream().mapToDouble(d -> d).max().orElse(0)),
                "runs=" + runs));
    }

    private static double startOnce(Path dataDir) throws IOException, InterruptedException {
        List<String> command = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "io.tribune.ops.TribuneCli", "up");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("TRIBUNE_DATA_DIR", dataDir.toString());
        List<String> names = List.of("API", "ADMIN", "POSTGRES", "KAFKA", "REDIS", "S3");
        List<Integer> ports = Ports.distinctFree(names.size());
        for (int i = 0; i < names.size(); i++) {
            env.put("TRIBUNE_" + names.get(i) + "_PORT", Integer.toString(ports.get(i)));
        }
        long start = System.nanoTime();
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("Tribune is up in")) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    stop(process);
                    return seconds;
                }
                if ((System.nanoTime() - start) / 1e9 > TIMEOUT_SECONDS) {
                    break;
                }
            }
        } finally {
            stop(process);
        }
        throw new IllegalStateException("tribune up did not become ready; its output:\n" + output);
    }

    private static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
