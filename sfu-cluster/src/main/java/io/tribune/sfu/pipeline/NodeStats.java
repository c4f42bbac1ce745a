package io.tribune.sfu.pipeline;

/**
 * What one node of a pipeline saw: packets in, passed on (or consumed), dropped, and the nanoseconds spent in the
 * node itself (the nodes after it excluded). Immutable.
 */
public record NodeStats(String name, long packetsIn, long packetsOut, long packetsDropped, long nanos) {

    /** Mean time per packet in nanoseconds; 0 before the first packet. */
    public double nanosPerPacket() {
        return packetsIn == 0 ? 0 : (double) nanos / packetsIn;
    }

    @Override
    public String toString() {
        return name + " in=" + packetsIn + " out=" + packetsOut + " dropped=" + packetsDropped
                + String.format(" ns/pkt=%.0f", nanosPerPacket());
    }
}
