package io.tribune.sfu.media;

import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.srtp.PacketBuffer;

/**
 * Removes the header extension block from a forwarded packet, in place: its ids are the publisher's, and a mid
 * extension left in would point the subscriber's browser at the wrong transceiver. Not thread-safe: one
 * pipeline's node.
 */
public final class HeaderExtensionStripper extends TransformerNode {

    public HeaderExtensionStripper() {
        super("header-extension-stripper");
    }

    @Override
    protected PacketInfo transform(PacketInfo packet) {
        PacketBuffer b = packet.buffer();
        RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
        if (!rtp.isWellFormed()) {
            return null;
        }
        if (rtp.hasExtension()) {
            strip(b, rtp);
        }
        return packet;
    }

    /** Moves the payload (and padding) over the extension block and clears the X bit (RFC 3550 §5.1). */
    static void strip(PacketBuffer b, RtpPacket rtp) {
        byte[] buf = b.getBuffer();
        int blockStart = rtp.extensionDataOffset() - 4;
        int blockLength = 4 + rtp.extensionDataLength();
        int tail = b.getOffset() + b.getLength() - (blockStart + blockLength);
        System.arraycopy(buf, blockStart + blockLength, buf, blockStart, tail);
        buf[b.getOffset()] &= (byte) ~0x10;
        b.setLength(b.getLength() - blockLength);
    }
}
