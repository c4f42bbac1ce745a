package io.tribune.sfu.rtp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An RTCP packet this layer does not decode (SDES, APP, XR and feedback formats we do not use yet), kept as its
 * raw bytes so a compound packet can be re-encoded unchanged.
 *
 * @param packetType the PT octet
 * @param countOrFormat the 5-bit count or FMT field
 * @param bytes the whole packet as received, header included, a multiple of 4 bytes
 */
public record UnparsedRtcp(int packetType, int countOrFormat, byte[] bytes) implements RtcpPacket {

    public UnparsedRtcp {
        bytes = bytes.clone();
        if (bytes.length < 4 || bytes.length % 4 != 0) {
            throw new IllegalArgumentException("RTCP packet of " + bytes.length + " bytes");
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public int encodedLength() {
        return bytes.length;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        System.arraycopy(bytes, 0, buf, off, bytes.length);
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnparsedRtcp other && other.packetType == packetType
                && other.countOrFormat == countOrFormat && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * packetType + countOrFormat) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "UnparsedRtcp[pt=" + packetType + ", count=" + countOrFormat + ", bytes="
                + HexFormat.of().formatHex(bytes) + "]";
    }
}
