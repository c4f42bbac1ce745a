package io.tribune.common.rtp;

/**
 * Extends a wrapping counter (an RTP sequence number, 16 bits, or timestamp, 32 bits; RFC 3550 appendix A.1 style)
 * to 64 bits: each value becomes the candidate closest to the highest seen, so a wrap keeps order and a value
 * reordered around a wrap lands before it. The first value is placed one modulus up, leaving room below for values
 * reordered around it. Not thread-safe: one stream, one thread.
 */
public final class WrappingCounter {

    private final long modulus;
    private long highest = -1;

    private WrappingCounter(long modulus) {
        this.modulus = modulus;
    }

    /** For 16-bit RTP sequence numbers. */
    public static WrappingCounter sequence() {
        return new WrappingCounter(1L << 16);
    }

    /** For 32-bit RTP timestamps. */
    public static WrappingCounter timestamp() {
        return new WrappingCounter(1L << 32);
    }

    /** {@code value} (in {@code [0, modulus)}) extended to 64 bits. */
    public long extend(long value) {
        if (highest < 0) {
            highest = value + modulus;
            return highest;
        }
        long candidate = highest - Math.floorMod(highest, modulus) + value;
        if (candidate - highest > modulus / 2) {
            candidate -= modulus;
        } else if (highest - candidate > modulus / 2) {
            candidate += modulus;
        }
        highest = Math.max(highest, candidate);
        return candidate;
    }
}
