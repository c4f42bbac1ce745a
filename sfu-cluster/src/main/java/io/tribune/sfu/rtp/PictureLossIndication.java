package io.tribune.sfu.rtp;

/**
 * A picture loss indication (RFC 4585 §6.3.1, PSFB FMT 1): the receiver asks for a key frame.
 *
 * @param senderSsrc the receiver sending the feedback
 * @param mediaSsrc the source that should send a key frame
 */
public record PictureLossIndication(int senderSsrc, int mediaSsrc) implements RtcpPacket {

    public static final int FORMAT = 1;

    @Override
    public int packetType() {
        return PT_PSFB;
    }

    @Override
    public int encodedLength() {
        return 12;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        RtcpPacket.writeHeader(buf, off, FORMAT, PT_PSFB, 12);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt32(buf, off + 8, mediaSsrc);
        return 12;
    }
}
