package io.tribune.sfu.rtp;

/**
 * One RTCP packet of a compound packet (RFC 3550 §6.4), decoded into values. The decoded forms are immutable and
 * thread-safe; {@link RtcpCompoundReader} makes them and {@link RtcpCompoundWriter} encodes them.
 */
public sealed interface RtcpPacket
        permits SenderReport, ReceiverReport, Bye, GenericNack, PictureLossIndication, FullIntraRequest, Remb,
        TransportCcFeedback, UnparsedRtcp {

    /** RFC 3550 §12.1. */
    int PT_SR = 200;
    int PT_RR = 201;
    int PT_SDES = 202;
    int PT_BYE = 203;
    int PT_APP = 204;
    /** RFC 4585 §6.1: transport-layer feedback. */
    int PT_RTPFB = 205;
    /** RFC 4585 §6.1: payload-specific feedback. */
    int PT_PSFB = 206;

    /** The packet type (PT) octet. */
    int packetType();

    /** The encoded length in bytes, a multiple of 4, header included. */
    int encodedLength();

    /**
     * Encodes the packet at {@code buf[off]}; the caller provides {@link #encodedLength()} bytes.
     *
     * @return the number of bytes written
     */
    int writeTo(byte[] buf, int off);

    /** Writes the 4-byte common header (RFC 3550 §6.4.1) without padding. */
    static void writeHeader(byte[] buf, int off, int countOrFormat, int packetType, int encodedLength) {
        buf[off] = (byte) (0x80 | (countOrFormat & 0x1f));
        buf[off + 1] = (byte) packetType;
        Bytes.putUint16(buf, off + 2, encodedLength / 4 - 1);
    }
}
