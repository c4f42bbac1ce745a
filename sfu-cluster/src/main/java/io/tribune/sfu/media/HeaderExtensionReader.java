package io.tribune.sfu.media;

import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.HeaderExtensionCursor;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Reads the header extensions later nodes route by into the {@link PacketInfo}: mid (RFC 8843), rid and
 * repaired rid (RFC 8852), the transport-wide sequence number (transport-cc) and the audio level with its voice
 * activity flag (RFC 6464). A packet whose extension block is malformed is dropped. Not thread-safe: one
 * pipeline's node; the ids may be replaced from any thread (renegotiation).
 */
public final class HeaderExtensionReader extends TransformerNode {

    private final Supplier<HeaderExtensionIds> ids;

    public HeaderExtensionReader(Supplier<HeaderExtensionIds> ids) {
        super("header-extension-reader");
        this.ids = ids;
    }

    @Override
    protected PacketInfo transform(PacketInfo packet) {
        PacketBuffer b = packet.buffer();
        RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
        if (!rtp.hasExtension()) {
            return packet;
        }
        HeaderExtensionIds negotiated = ids.get();
        HeaderExtensionCursor cursor = rtp.extensions();
        byte[] buf = rtp.buffer();
        while (cursor.next()) {
            int id = cursor.id();
            if (id == negotiated.mid()) {
                packet.setMid(text(buf, cursor));
            } else if (id == negotiated.rid()) {
                packet.setRid(text(buf, cursor));
            } else if (id == negotiated.repairedRid()) {
                packet.setRepairedRid(text(buf, cursor));
            } else if (id == negotiated.transportCc() && cursor.dataLength() >= 2) {
                packet.setTransportSequence(((buf[cursor.dataOffset()] & 0xff) << 8)
                        | (buf[cursor.dataOffset() + 1] & 0xff));
            } else if (id == negotiated.audioLevel() && cursor.dataLength() >= 1) {
                int value = buf[cursor.dataOffset()] & 0xff;
                packet.setAudioLevel(value & 0x7f, (value & 0x80) != 0);
            }
        }
        return cursor.isMalformed() ? null : packet;
    }

    private static String text(byte[] buf, HeaderExtensionCursor cursor) {
        return new String(buf, cursor.dataOffset(), cursor.dataLength(), StandardCharsets.US_ASCII);
    }
}
