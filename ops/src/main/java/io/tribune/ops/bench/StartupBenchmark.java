package io.tribune.ops.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench startup}: wall time from launching {@code tribune up} (a new JVM, as the script does) to its
 * "Tribune is up" line, i.e. every part started and every service healthy. Each run uses a fresh data directory
 * (initdb, Kafka format: the slowest, first-ever start) and then restarts on the same directory. Free ports, so a
 * running platform is not disturbed.
 */
final class StartupBenchmark implements Benchmark {

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
            try (TemporaryPlatform platform = TemporaryPlatform.fresh()) {
                double first = platform.start().readySeconds();
                platform.stop();
                double second = platform.start().readySeconds();
                fresh.add(first);
                restart.add(second);
                System.err.printf(Locale.ROOT, "run %d/%d: fresh %.2f s, restart %.2f s%n", i, runs, first, second);
            }
        }
        return new Result(List.of(
                String.format(Locale.ROOT, "startup_s=%.2f", Benchmarks.median(fresh)),
                String.format(Locale.ROOT, "restart_s=%.2f", Benchmarks.median(restart)),
                String.format(Locale.ROOT, "max_s=%.2f", fresh.stream().mapToDouble(d -> d).max().orElse(0)),
                "runs=" + runs));
    }
}
