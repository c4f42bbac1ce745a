package io.tribune.sfu.egress;

import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.FilterNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.room.PublishedTrack;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;

/** The nodes of an egress's send pipeline. Not thread-safe: each belongs to one {@link StageEgress}'s pipeline. */
final class EgressNodes {

    private EgressNodes() {
    }

    /**
     * Passes the media of one layer per video track: the highest layer the publisher sends (the transcoder scales
     * down itself), switching at that layer's key frame, and asking for one (PLI) while it waits. RTX, other
     * payload types (RED, FEC) and padding-only packets are dropped: the transcoder gets plain media, and its
     * jitter buffer covers loss on the leg to it.
     */
    static final class LayerFilter extends FilterNode {
        private final Clock clock;

        LayerFilter(Clock clock) {
            super("egress-layer-filter");
            this.clock = clock;
        }

        @Override
        protected boolean accept(PacketInfo packet) {
            EgressStream stream = (EgressStream) packet.route();
            PublishedTrack track = stream.track;
            if (packet.payloadType() != track.payloadType()
                    || track.isRetransmission(packet.ssrc(), packet.payloadType())) {
                return false;
            }
            if (!stream.isVideo()) {
                return true;
            }
            int target = Math.max(0, track.highestActiveLayer(packet.receivedNanos()));
            if (packet.layer() == stream.currentLayer && target == stream.currentLayer) {
                return true;
            }
            if (packet.layer() == target && packet.keyFrame()) {
                if (stream.currentLayer >= 0) {
                    stream.layerSwitches++;
                }
                stream.currentLayer = target;
                return true;
            }
            if (target != stream.currentLayer) {
                // Rate limited per layer (PublishedTrack.KEY_FRAME_REQUEST_INTERVAL_MILLIS).
                track.requestKeyFrame(target, clock.millis());
            }
            // The old layer keeps flowing until the target's key frame.
            return packet.layer() == stream.currentLayer;
        }
    }

    /**
     * Puts the packet into the egress stream, in place: the stream's SSRC and payload type, and sequence numbers
     * and timestamps that continue across a change of source SSRC (layer switch, publisher's encoder restart), the
     * timestamp advanced by the wall-clock time between (as the subscribers' {@code StreamRewriter} does).
     */
    static final class Rewriter extends TransformerNode {
        Rewriter() {
            super("egress-rewriter");
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            EgressStream stream = (EgressStream) packet.route();
            PacketBuffer b = packet.buffer();
            RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
            if (!rtp.isWellFormed() || rtp.payloadLength() == 0) {
                return null;
            }
            int sequence = packet.sequenceNumber();
            long timestamp = packet.timestamp();
            long now = packet.receivedNanos();
            if (!stream.started) {
                stream.started = true;
                stream.sourceSsrc = packet.ssrc();
                stream.sequenceOffset = 0;
                stream.timestampOffset = 0;
                stream.lastSequence = (sequence - 1) & 0xffff;
                stream.lastTimestamp = timestamp;
            } else if (packet.ssrc() != stream.sourceSsrc) {
                long rate = stream.description.clockRate();
                long ticks = Math.max(1, (now - stream.lastSentNanos) * rate / 1_000_000_000L);
                stream.sourceSsrc = packet.ssrc();
                stream.sequenceOffset = (stream.lastSequence + 1 - sequence) & 0xffff;
                stream.timestampOffset = (stream.lastTimestamp + ticks - timestamp) & 0xffffffffL;
            }
            int outSequence = (sequence + stream.sequenceOffset) & 0xffff;
            long outTimestamp = (timestamp + stream.timestampOffset) & 0xffffffffL;
            if (((outSequence - stream.lastSequence) & 0xffff) < 0x8000) {
                stream.lastSequence = outSequence;
                stream.lastTimestamp = outTimestamp;
            }
            stream.lastSentNanos = now;
            rtp.setSsrc((int) stream.ssrc());
            rtp.setPayloadType(stream.payloadType());
            rtp.setSequenceNumber(outSequence);
            rtp.setTimestamp(outTimestamp);
            return packet;
        }
    }

    /** Sends the packet as plain RTP to the stream's port. A failed send counts a drop; it never throws. */
    static final class UdpSend extends ConsumerNode {
        UdpSend() {
            super("egress-udp-send");
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            EgressStream stream = (EgressStream) packet.route();
            PacketBuffer b = packet.buffer();
            try {
                // Nobody listening yet answers with ICMP port unreachable: the next write throws, and is dropped.
                int sent = stream.channel.write(ByteBuffer.wrap(b.getBuffer(), b.getOffset(), b.getLength()));
                if (sent > 0) {
                    stream.packetsSent++;
                    return true;
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
