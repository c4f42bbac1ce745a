package io.tribune.ops.bench;

import java.util.List;

/**
 * One {@code ops/tribune bench NAME}. It measures several runs and returns one result line of {@code key=value}
 * pairs (medians, plus {@code runs=N}); the keys each benchmark must print are fixed in shared/DECISIONS.md.
 */
public interface Benchmark {

    String name();

    /** One line for {@code bench list}. */
    String description();

    /** Runs the measurement; progress goes to stderr, the returned pairs become the result line. */
    Result run(List<String> args) throws Exception;

    /** Ordered key=value pairs. */
    record Result(List<String> pairs) {
        public String line(String name) {
            return "bench " + name + ": " + String.join(" ", pairs);
        }
    }
}
