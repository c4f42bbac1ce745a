package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.ExpanderNode;
import io.tribune.sfu.pipeline.FilterNode;
import io.tribune.sfu.pipeline.ObserverNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The room's nodes of a subscriber's send pipeline besides {@link StreamRewriter}. Not thread-safe: each belongs
 * to one send pipeline.
 */
final class SendNodes {

    private SendNodes() {
    }

    /** A subscriber's NACK for one down track, travelling through the send queue to the thread owning its cache. */
    record ResendRequest(DownTrack down, List<Integer> sequenceNumbers) {
    }

    static boolean isResendRequest(PacketInfo packet) {
        return packet.route() instanceof ResendRequest;
    }

    /** Keeps a copy of each video packet as it goes out (rewritten, extensions stripped, not yet encrypted). */
    static final class PacketCacher extends ObserverNode {
        PacketCacher() {
            super("packet-cacher");
        }

        @Override
        protected void observe(PacketInfo packet) {
            DownTrack down = (DownTrack) packet.route();
            if (down.cache != null) {
                PacketBuffer b = packet.buffer();
                RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
                if ((rtp.ssrc() & 0xffffffffL) == down.ssrc()) {
                    down.cache.put(rtp.sequenceNumber(), b);
                }
            }
        }
    }

    /**
     * Answers a NACK from the cache with RTX packets (RFC 4588 §4: the original sequence number, then the original
     * payload, on the RTX SSRC and payload type with the RTX stream's own sequence numbers). What the cache no
     * longer holds is asked of the publisher, translated to its sequence numbers.
     */
    static final class RetransmissionResponder extends ExpanderNode {
        RetransmissionResponder() {
            super("retransmission-responder");
        }

        @Override
        protected void expand(PacketInfo request, List<PacketInfo> out) {
            ResendRequest resend = (ResendRequest) request.route();
            DownTrack down = resend.down();
            List<Integer> missing = new ArrayList<>();
            for (int sequence : resend.sequenceNumbers()) {
                byte[] original = down.cache == null || down.rtxPayloadType() < 0 ? null : down.cache.get(sequence);
                if (original == null) {
                    missing.add((sequence - down.sequenceOffset()) & 0xffff);
                    continue;
                }
                out.add(rtx(down, original, request.receivedNanos()));
            }
            if (!missing.isEmpty() && down.track().ssrc() >= 0) {
                down.track().owner().sendNack(down.track().ssrc(), missing);
            }
        }

        private static PacketInfo rtx(DownTrack down, byte[] original, long nanos) {
            RtpPacket parsed = RtpPacket.parse(original, 0, original.length);
            int header = parsed.headerLength();
            int payload = parsed.payloadLength();
            byte[] bytes = new byte[header + 2 + payload + PacketBuffer.TAIL_ROOM];
            System.arraycopy(original, 0, bytes, 0, header);
            bytes[0] &= (byte) ~0x20;
            bytes[header] = original[2];
            bytes[header + 1] = original[3];
            System.arraycopy(original, header, bytes, header + 2, payload);
            PacketBuffer buffer = new PacketBuffer(bytes, 0, header + 2 + payload);
            RtpPacket rtx = RtpPacket.parse(bytes, 0, buffer.getLength());
            rtx.setSsrc((int) down.rtxSsrc());
            rtx.setPayloadType(down.rtxPayloadType());
            rtx.setSequenceNumber(down.rtxSequence++ & 0xffff);
            PacketInfo packet = new PacketInfo(buffer, nanos);
            packet.setRoute(down);
            return packet;
        }
    }

    /** For tests only: drops this share of outgoing video media packets (never RTX), to exercise NACK and RTX. */
    static final class LossSimulator extends FilterNode {
        private final double probability;
        private final SplittableRandom random = new SplittableRandom(42);

        LossSimulator(double percent) {
            super("loss-simulator");
            this.probability = percent / 100.0;
        }

        @Override
        protected boolean accept(PacketInfo packet) {
            DownTrack down = (DownTrack) packet.route();
            if (down.cache == null) {
                return true;
            }
            PacketBuffer b = packet.buffer();
            boolean media = (RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength()).ssrc() & 0xffffffffL)
                    == down.ssrc();
            return !media || random.nextDouble() >= probability;
        }
    }
}
