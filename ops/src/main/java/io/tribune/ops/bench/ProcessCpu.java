package io.tribune.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used (user + system, from {@code /proc/PID/stat}), so a benchmark can report the cost of
 * the work it measures apart from the load client and whatever else shares the machine. Linux only.
 */
final class ProcessCpu {

    /** Linux's USER_HZ: /proc reports times in these ticks (100 on every mainstream architecture). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds used so far by {@code pid} (its threads included, its children not). */
    static double seconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long userTicks = Long.parseLong(fields[11]);   // field 14: utime
        long systemTicks = Long.parseLong(fields[12]); // field 15: stime
        return (userTicks + systemTicks) / TICKS_PER_SECOND;
    }
}
