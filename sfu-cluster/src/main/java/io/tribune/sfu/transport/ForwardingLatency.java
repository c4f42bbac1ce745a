package io.tribune.sfu.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * How long forwarded packets spent inside the node: from the moment the port's receive thread took the datagram
 * off the socket ({@link io.tribune.sfu.pipeline.PacketInfo#receivedNanos()}) to just before a send pipeline's
 * {@code ice-send} hands it to the socket. Queues, decryption, fan-out and re-encryption are all inside.
 *
 * <p>A fixed-bucket histogram (10 us steps up to 100 us, coarser above, up to 1 s), so recording costs one
 * {@link System#nanoTime()}, a short scan and one {@link LongAdder} increment; no locks, no allocation.
 *
 * <p>One histogram per JVM ({@link #NODE}): a production JVM runs one node. Tests that run several nodes in one
 * JVM see their sum. Thread-safe.
 */
public final class ForwardingLatency {

    /** Bucket upper bounds in microseconds; a last, open bucket holds everything above the last bound. */
    private static final long[] BOUNDS_MICROS = {
        10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
        125, 150, 175, 200, 250, 300, 350, 400, 450, 500,
        600, 700, 800, 900, 1_000, 1_250, 1_500, 1_750, 2_000, 2_500, 3_000, 4_000, 5_000,
        7_500, 10_000, 20_000, 50_000, 100_000, 1_000_000,
    };

    /** The node's histogram. */
    public static final ForwardingLatency NODE = new ForwardingLatency();

    private final LongAdder[] counts = new LongAdder[BOUNDS_MICROS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    ForwardingLatency() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records a packet received at {@code receivedNanos} ({@link System#nanoTime()}) and sent now. */
    public void recordSince(long receivedNanos) {
        if (receivedNanos == 0) {
            return;
        }
        record(System.nanoTime() - receivedNanos);
    }

    void record(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        int i = 0;
        while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(nanos);
    }

    /** Upper bounds in seconds, the last being {@link Double#POSITIVE_INFINITY}. */
    public static double[] upperBoundsSeconds() {
        double[] bounds = new double[BOUNDS_MICROS.length + 1];
        for (int i = 0; i < BOUNDS_MICROS.length; i++) {
            bounds[i] = BOUNDS_MICROS[i] / 1e6;
        }
        bounds[BOUNDS_MICROS.length] = Double.POSITIVE_INFINITY;
        return bounds;
    }

    /** Packets per bucket (not cumulative), in the order of {@link #upperBoundsSeconds()}. */
    public long[] counts() {
        long[] out = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i].sum();
        }
        return out;
    }

    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
