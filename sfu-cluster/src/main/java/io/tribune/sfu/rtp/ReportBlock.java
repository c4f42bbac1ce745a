package io.tribune.sfu.rtp;

/**
 * A reception report block of an SR or RR (RFC 3550 §6.4.1). Unsigned 32-bit fields are held as longs.
 *
 * @param ssrc the source this block reports on
 * @param fractionLost lost fraction since the last report, in 1/256 units (0–255)
 * @param cumulativeLost packets lost in total, a signed 24-bit value (duplicates can make it negative)
 * @param extendedHighestSequence cycles count in the upper 16 bits, highest sequence number in the lower
 * @param jitter interarrival jitter in timestamp units
 * @param lastSenderReport the middle 32 bits of the NTP timestamp of the last SR received (LSR)
 * @param delaySinceLastSenderReport the delay since that SR in 1/65536 s (DLSR)
 */
public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                          long jitter, long lastSenderReport, long delaySinceLastSenderReport) {

    /** The encoded size of one block. */
    public static final int LENGTH = 24;

    static ReportBlock read(byte[] buf, int off) {
        // The cumulative count is a 24-bit two's complement number: shift it up and back to extend the sign.
        int cumulative = (Bytes.uint24(buf, off + 5) << 8) >> 8;
        return new ReportBlock(Bytes.int32(buf, off), Bytes.uint8(buf, off + 4), cumulative,
                Bytes.uint32(buf, off + 8), Bytes.uint32(buf, off + 12), Bytes.uint32(buf, off + 16),
                Bytes.uint32(buf, off + 20));
    }

    void write(byte[] buf, int off) {
        Bytes.putInt32(buf, off, ssrc);
        buf[off + 4] = (byte) fractionLost;
        Bytes.putUint24(buf, off + 5, cumulativeLost & 0xffffff);
        Bytes.putInt32(buf, off + 8, extendedHighestSequence);
        Bytes.putInt32(buf, off + 12, jitter);
        Bytes.putInt32(buf, off + 16, lastSenderReport);
        Bytes.putInt32(buf, off + 20, delaySinceLastSenderReport);
    }
}
