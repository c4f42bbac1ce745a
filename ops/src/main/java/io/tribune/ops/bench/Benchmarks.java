package io.tribune.ops.bench;

import io.tribune.ops.CliException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark registry: later work adds its benchmark here. */
public final class Benchmarks {

    private static final Map<String, Benchmark> ALL = new LinkedHashMap<>();

    static {
        register(new StartupBenchmark());
        register(new ApiBenchmark());
        register(new ChannelBenchmark());
        register(new NotifyBenchmark());
        register(new SfuBenchmark());
        register(new TranscodeBenchmark());
        register(new CdnBenchmark());
        register(new HlsLatencyBenchmark());
        register(new RecordingBenchmark());
        register(new CaptionsBenchmark());
    }

    private Benchmarks() {
    }

    private static void register(Benchmark benchmark) {
        ALL.put(benchmark.name(), benchmark);
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty() || args.get(0).equals("list")) {
            ALL.values().forEach(b -> out.printf("  %-14s %s%n", b.name(), b.description()));
            return args.isEmpty() ? 2 : 0;
        }
        Benchmark benchmark = ALL.get(args.get(0));
        if (benchmark == null) {
            throw new CliException("no benchmark '" + args.get(0) + "'; known: " + String.join(", ", ALL.keySet()), 2);
        }
        Benchmark.Result result = benchmark.run(new ArrayList<>(args.subList(1, args.size())));
        out.println(result.line(benchmark.name()));
        return 0;
    }

    /** The median of some measurements (mean of the middle two for an even count). */
    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code --runs N} from a benchmark's arguments, else {@code fallback}. */
    public static int runs(List<String> args, int fallback) {
        int i = args.indexOf("--runs");
        if (i >= 0 && i + 1 < args.size()) {
            try {
                int runs = Integer.parseInt(args.get(i + 1));
                if (runs > 0) {
                    return runs;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
            throw new CliException("--runs needs a positive number", 2);
        }
        return fallback;
    }
}
