package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.srtp.PacketBuffer;

/**
 * Puts a forwarded packet into the subscriber's stream, in place: the SFU's SSRC for the down track, the
 * subscriber's payload type, and sequence numbers and timestamps that stay continuous. Sequence numbers close
 * the gap left by packets held back on purpose (mute); a new source SSRC (the publisher restarted its encoder)
 * continues both from where the last source stopped, the timestamp advanced by the wall-clock time between.
 * RTX (RFC 4588) gets the down track's RTX SSRC, its own sequence, and its original sequence number translated;
 * only RTX that answers a request the SFU made for this subscriber is forwarded (the publisher's browser also
 * sends RTX on its own, as bandwidth probes, which would only waste the subscriber's downlink).
 *
 * <p>Not thread-safe: a node of one subscriber's send pipeline, which owns the down tracks' rewriting state.
 */
final class StreamRewriter extends TransformerNode {

    StreamRewriter() {
        super("stream-rewriter");
    }

    @Override
    protected PacketInfo transform(PacketInfo packet) {
        DownTrack down = (DownTrack) packet.route();
        PublishedTrack track = down.track();
        PacketBuffer b = packet.buffer();
        RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
        if (!rtp.isWellFormed()) {
            return null;
        }
        boolean retransmission = track.isRetransmission(packet.ssrc(), packet.payloadType());
        return retransmission ? rewriteRtx(packet, rtp, down) : rewriteMedia(packet, rtp, down);
    }

    private static PacketInfo rewriteMedia(PacketInfo packet, RtpPacket rtp, DownTrack down) {
        if (down.payloadType() < 0) {
            return null;
        }
        int sequence = packet.sequenceNumber();
        long timestamp = packet.timestamp();
        long now = packet.receivedNanos();
        if (!down.started) {
            down.started = true;
            down.sourceSsrc = packet.ssrc();
            down.publishSequenceOffset(0);
            down.timestampOffset = 0;
            down.lastSequence = (sequence - 1) & 0xffff;
            down.lastTimestamp = timestamp;
            down.takeResync();
        } else if (packet.ssrc() != down.sourceSsrc) {
            long rate = down.track().kind().equals("audio") ? 48_000 : 90_000;
            long ticks = Math.max(1, (now - down.lastSentNanos) * rate / 1_000_000_000L);
            down.sourceSsrc = packet.ssrc();
            down.publishSequenceOffset((down.lastSequence + 1 - sequence) & 0xffff);
            down.timestampOffset = (down.lastTimestamp + ticks - timestamp) & 0xffffffffL;
            down.takeResync();
        } else if (down.takeResync()) {
            down.publishSequenceOffset((down.lastSequence + 1 - sequence) & 0xffff);
        }
        int outSequence = (sequence + down.sequenceOffset()) & 0xffff;
        long outTimestamp = (timestamp + down.timestampOffset) & 0xffffffffL;
        if (((outSequence - down.lastSequence) & 0xffff) < 0x8000) {
            down.lastSequence = outSequence;
            down.lastTimestamp = outTimestamp;
        }
        down.lastSentNanos = now;
        rtp.setSsrc((int) down.ssrc());
        rtp.setPayloadType(down.payloadType());
        rtp.setSequenceNumber(outSequence);
        rtp.setTimestamp(outTimestamp);
        return packet;
    }

    private static PacketInfo rewriteRtx(PacketInfo packet, RtpPacket rtp, DownTrack down) {
        if (down.rtxPayloadType() < 0 || !down.started || rtp.payloadLength() < 2) {
            return null;
        }
        byte[] buf = rtp.buffer();
        int at = rtp.payloadOffset();
        int original = ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
        if (!down.requestedFromPublisher.remove(original)) {
            return null;
        }
        int translated = (original + down.sequenceOffset()) & 0xffff;
        buf[at] = (byte) (translated >>> 8);
        buf[at + 1] = (byte) translated;
        rtp.setSsrc((int) down.rtxSsrc());
        rtp.setPayloadType(down.rtxPayloadType());
        rtp.setSequenceNumber(down.rtxSequence++ & 0xffff);
        rtp.setTimestamp((packet.timestamp() + down.timestampOffset) & 0xffffffffL);
        return packet;
    }
}
