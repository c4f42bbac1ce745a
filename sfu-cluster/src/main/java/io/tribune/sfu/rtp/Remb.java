package io.tribune.sfu.rtp;

import java.util.List;

/**
 * Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 §2.2): PSFB FMT 15 (application layer
 * feedback) whose FCI starts with the ASCII identifier "REMB".
 *
 * @param senderSsrc the receiver sending the estimate
 * @param bitrateBps the estimated total bitrate in bits per second, at most 2^18-1 shifted by 63 and within a long
 * @param ssrcs the sources the estimate applies to, at most 255
 */
public record Remb(int senderSsrc, long bitrateBps, List<Integer> ssrcs) implements RtcpPacket {

    public static final int FORMAT = 15;
    static final int IDENTIFIER = 0x52454d42; // "REMB"
    private static final int MANTISSA_BITS = 18;

    public Remb {
        ssrcs = List.copyOf(ssrcs);
        if (bitrateBps < 0 || ssrcs.size() > 255) {
            throw new IllegalArgumentException("bitrate " + bitrateBps + " with " + ssrcs.size() + " SSRCs");
        }
    }

    @Override
    public int packetType() {
        return PT_PSFB;
    }

    @Override
    public int encodedLength() {
        return 20 + 4 * ssrcs.size();
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        int length = encodedLength();
        RtcpPacket.writeHeader(buf, off, FORMAT, PT_PSFB, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        // §2.2: the media source SSRC is always 0; the targets are listed after the bitrate.
        Bytes.putInt32(buf, off + 8, 0);
        Bytes.putInt32(buf, off + 12, IDENTIFIER);
        // The bitrate is mantissa * 2^exponent with an 18-bit mantissa: use the smallest exponent that fits,
        // which is exact for bitrates below 2^18 and rounds down by less than one part in 2^17 otherwise.
        int exponent = Math.max(0, 64 - Long.numberOfLeadingZeros(bitrateBps) - MANTISSA_BITS);
        long mantissa = bitrateBps >>> exponent;
        buf[off + 16] = (byte) ssrcs.size();
        Bytes.putUint24(buf, off + 17, (exponent << MANTISSA_BITS) | (int) mantissa);
        for (int i = 0; i < ssrcs.size(); i++) {
            Bytes.putInt32(buf, off + 20 + 4 * i, ssrcs.get(i));
        }
        return length;
    }
}
