package io.tribune.sfu.rtp;

import java.util.List;

/**
 * Encodes RTCP packets back to back into one compound packet (RFC 3550 §6.4). Stateless and thread-safe.
 */
public final class RtcpCompoundWriter {

    private RtcpCompoundWriter() {
    }

    /** The encoded length of the packets together. */
    public static int encodedLength(List<? extends RtcpPacket> packets) {
        int length = 0;
        for (RtcpPacket packet : packets) {
            length += packet.encodedLength();
        }
        return length;
    }

    /** Encodes the packets into a new array. */
    public static byte[] encode(List<? extends RtcpPacket> packets) {
        byte[] out = new byte[encodedLength(packets)];
        writeTo(packets, out, 0);
        return out;
    }

    /**
     * Encodes the packets at {@code buf[off]}; the caller provides {@link #encodedLength} bytes.
     *
     * @return the number of bytes written
     */
    public static int writeTo(List<? extends RtcpPacket> packets, byte[] buf, int off) {
        int pos = off;
        for (RtcpPacket packet : packets) {
            pos += packet.writeTo(buf, pos);
        }
        return pos - off;
    }
}
