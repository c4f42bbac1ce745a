package io.tribune.recording.rtp;

import java.util.function.Consumer;

/**
 * Opus over RTP, RFC 7587: each payload is exactly one Opus packet (section 4.2), timed by the 48 kHz RTP clock.
 * An empty payload is not an Opus packet (RFC 6716 section 3.1 needs the TOC byte) and is skipped. Lost packets
 * simply leave a gap; every Opus packet decodes on its own.
 */
public final class OpusDepacketizer implements Depacketizer {

    /** RFC 6716 section 3.4 (R2): a packet is at most 1275 bytes per frame, 48 frames; more is not Opus. */
    static final int MAX_PACKET_BYTES = 1275 * 48;

    private long dropped;
    private long corrupt;

    @Override
    public void push(RtpPacket packet, Consumer<MediaFrame> out) {
        byte[] payload = packet.payload();
        if (payload.length == 0) {
            corrupt++;
            return;
        }
        if (payload.length > MAX_PACKET_BYTES) {
            dropped++;
            return;
        }
        out.accept(new MediaFrame(packet.timestamp(), true, payload));
    }

    @Override
    public void flush(Consumer<MediaFrame> out) {
    }

    @Override
    public long droppedFrames() {
        return dropped;
    }

    @Override
    public long corruptPackets() {
        return corrupt;
    }

    /**
     * The {@code OpusHead} (RFC 7845 section 5.1) Matroska and WebM carry as codec private data: version 1, the
     * channel count, no pre-skip (WebRTC streams start decoding at once), the 48 kHz input rate, 0 dB gain, mapping
     * family 0 (mono or stereo).
     */
    public static byte[] opusHead(int channels) {
        byte[] head = new byte[19];
        byte[] magic = "OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, head, 0, 8);
        head[8] = 1;
        head[9] = (byte) channels;
        // 10..11 pre-skip 0; 12..15 input sample rate, little-endian
        int rate = 48_000;
        head[12] = (byte) rate;
        head[13] = (byte) (rate >> 8);
        head[14] = (byte) (rate >> 16);
        head[15] = (byte) (rate >> 24);
        // 16..17 output gain 0; 18 channel mapping family 0
        return head;
    }
}
