package io.tribune.ops.bench;

import io.tribune.sfu.load.RoomLoad;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * One measured window of {@code bench sfu}: the SFU process's CPU time (from {@code /proc/PID/stat}, so the load
 * client's own cost does not count) against the packets the subscribers received and decrypted in the same time.
 *
 * @param seconds wall time of the window
 * @param cpuSeconds CPU the SFU process used in it (user + system, all threads)
 * @param sent packets the publishers sent
 * @param forwarded packets the subscribers received and decrypted (each is one packet the SFU forwarded)
 * @param expected sent x subscribers: what full delivery would be
 */
record LoadWindow(double seconds, double cpuSeconds, long sent, long forwarded, long expected) {

    /** Measures {@code length} of the running load. */
    static LoadWindow measure(RoomLoad room, long sfuPid, Duration length) throws IOException, InterruptedException {
        RoomLoad.Counts before = room.counts();
        double cpuBefore = ProcessCpu.seconds(sfuPid);
        Thread.sleep(length.toMillis());
        double cpuAfter = ProcessCpu.seconds(sfuPid);
        RoomLoad.Counts delta = room.counts().minus(before);
        return new LoadWindow(delta.nanos() / 1e9, cpuAfter - cpuBefore, delta.sent(), delta.received(),
                delta.sent() * room.subscribers().size());
    }

    /** Forwarded packets per CPU-second of the SFU. */
    double packetsPerCore() {
        return forwarded / cpuSeconds;
    }

    /** CPU milliseconds per 1,000 forwarded packets. */
    double cpuMsPer1000() {
        return cpuSeconds * 1000 / (forwarded / 1000.0);
    }

    double deliveryPercent() {
        return expected == 0 ? 0 : 100.0 * forwarded / expected;
    }

    double forwardedPerSecond() {
        return forwarded / seconds;
    }

    /** One line for progress output, and for the Janus child to report a window to the benchmark. */
    String line() {
        return String.format(Locale.ROOT, "window seconds=%.3f cpu_seconds=%.3f sent=%d forwarded=%d expected=%d",
                seconds, cpuSeconds, sent, forwarded, expected);
    }

    /** Reads {@link #line()} back. */
    static LoadWindow parse(String line) {
        double seconds = 0;
        double cpu = 0;
        long sent = 0;
        long forwarded = 0;
        long expected = 0;
        for (String pair : line.trim().split("\\s+")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            switch (kv[0]) {
                case "seconds" -> seconds = Double.parseDouble(kv[1]);
                case "cpu_seconds" -> cpu = Double.parseDouble(kv[1]);
                case "sent" -> sent = Long.parseLong(kv[1]);
                case "forwarded" -> forwarded = Long.parseLong(kv[1]);
                case "expected" -> expected = Long.parseLong(kv[1]);
                default -> {
                }
            }
        }
        return new LoadWindow(seconds, cpu, sent, forwarded, expected);
    }
}
