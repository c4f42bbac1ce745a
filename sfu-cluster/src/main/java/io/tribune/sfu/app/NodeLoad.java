package io.tribune.sfu.app;

import io.tribune.sfu.room.RoomStats;
import io.tribune.sfu.room.Rooms;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Clock;

/**
 * The node's load, sampled: rooms, endpoints, streams, the rates of datagrams and bits it sends (mostly forwarded
 * media) and receives since the previous sample, and the process's share of the machine's CPU. The node registry
 * samples at each heartbeat; metrics read the latest sample.
 *
 * <p>Thread-safe: {@link #sample()} is synchronized; {@link #latest()} reads a volatile field.
 */
public final class NodeLoad {

    /**
     * @param cpu the process's share of all the machine's cores over the recent past, 0..1 (0 where unknown)
     * @param packetsPerSecondOut datagrams sent per second since the previous sample
     */
    public record Sample(long atMillis, int rooms, int endpoints, int streams, double packetsPerSecondOut,
                         double bitsPerSecondOut, double packetsPerSecondIn, double bitsPerSecondIn, double cpu) {

        /** Load from 0 (idle) to 1 (full): CPU or endpoints against the node's capacity, whichever is higher. */
        public double load(int maxEndpoints) {
            return Math.max(cpu, (double) endpoints / maxEndpoints);
        }
    }

    private final Rooms rooms;
    private final Clock clock;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private RoomStats previous;
    private long previousMillis;
    private volatile Sample latest;

    public NodeLoad(Rooms rooms, Clock clock) {
        this.rooms = rooms;
        this.clock = clock;
        this.latest = new Sample(clock.millis(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Takes a new sample: rates over the time since the previous one. */
    public synchronized Sample sample() {
        long now = clock.millis();
        RoomStats stats = rooms.nodeStats();
        double seconds = previous == null ? 0 : Math.max(0.001, (now - previousMillis) / 1000.0);
        Sample sample = new Sample(now, rooms.roomCount(), stats.participants(), stats.streams(),
                rate(stats.packetsOut(), previous == null ? 0 : previous.packetsOut(), seconds),
                8 * rate(stats.bytesOut(), previous == null ? 0 : previous.bytesOut(), seconds),
                rate(stats.packetsIn(), previous == null ? 0 : previous.packetsIn(), seconds),
                8 * rate(stats.bytesIn(), previous == null ? 0 : previous.bytesIn(), seconds), cpu());
        previous = stats;
        previousMillis = now;
        latest = sample;
        return sample;
    }

    public Sample latest() {
        return latest;
    }

    private static double rate(long now, long before, double seconds) {
        return seconds == 0 ? 0 : Math.max(0, now - before) / seconds;
    }

    private double cpu() {
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            double load = hotspot.getProcessCpuLoad();
            return load < 0 ? 0 : load;
        }
        return 0;
    }
}
