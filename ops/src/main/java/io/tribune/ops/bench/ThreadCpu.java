package io.tribune.ops.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU ticks per thread of a process, grouped by thread name with digits folded ({@code send-sub-3} and
 * {@code send-sub-7} count as {@code send-sub-N}), from {@code /proc/PID/task/TID/stat}. A diagnostic for where a
 * server's CPU goes under load; threads that end between two snapshots are missed. Linux only.
 */
final class ThreadCpu {

    private ThreadCpu() {
    }

    /** Ticks (user + system) by thread id, with the thread's folded name. */
    static Map<String, long[]> snapshot(long pid) throws IOException {
        Map<String, long[]> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.put(task.getFileName() + " " + name, new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])});
                } catch (IOException | RuntimeException e) {
                    // The thread ended.
                }
            }
        }
        return out;
    }

    /** "name user+sys ms, ..." for the busiest groups between two snapshots. */
    static String busiest(Map<String, long[]> before, Map<String, long[]> after, int groups) {
        Map<String, long[]> byName = new HashMap<>();
        after.forEach((key, ticks) -> {
            long[] old = before.getOrDefault(key, new long[2]);
            long[] sum = byName.computeIfAbsent(key.substring(key.indexOf(' ') + 1), k -> new long[2]);
            sum[0] += ticks[0] - old[0];
            sum[1] += ticks[1] - old[1];
        });
        Map<String, long[]> sorted = new LinkedHashMap<>();
        byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1],
                a.getValue()[0] + a.getValue()[1])).limit(groups).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] * 10 + "+" + e.getValue()[1] * 10
                + " ms").collect(Collectors.joining(", "));
    }
}
