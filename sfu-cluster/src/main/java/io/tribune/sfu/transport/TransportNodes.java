package io.tribune.sfu.transport;

import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.Node;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.DatagramType;
import io.tribune.sfu.rtp.Malformation;
import io.tribune.sfu.rtp.RtcpCompoundReader;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.srtp.SrtpReceiver;
import io.tribune.sfu.srtp.SrtpSender;
import io.tribune.sfu.srtp.SrtpStatus;
import java.util.function.Supplier;

/**
 * The transport's nodes of the receive pipeline (decrypt, parse) and of the send pipeline (encrypt, send). Each
 * also counts its drops by {@link DropReason} in the endpoint's {@link TransportCounters}. Not thread-safe: each
 * node belongs to one pipeline.
 */
final class TransportNodes {

    private TransportNodes() {
    }

    static boolean isRtcp(PacketInfo packet) {
        PacketBuffer b = packet.buffer();
        return DatagramType.of(b.getBuffer(), b.getOffset(), b.getLength()) == DatagramType.RTCP;
    }

    /** SRTP (RFC 3711 §3.3) authentication, replay check and decryption, in place. */
    static final class SrtpDecryptNode extends TransformerNode {
        private final Supplier<SrtpReceiver> receiver;
        private final TransportCounters counters;

        SrtpDecryptNode(Supplier<SrtpReceiver> receiver, TransportCounters counters) {
            super("srtp-decrypt");
            this.receiver = receiver;
            this.counters = counters;
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            if (receiver.get().unprotectRtp(packet.buffer()) != SrtpStatus.OK) {
                counters.dropped(DropReason.SRTP_REJECTED);
                return null;
            }
            return packet;
        }
    }

    /** SRTCP (RFC 3711 §3.4) authentication, replay check and decryption, in place. */
    static final class SrtcpDecryptNode extends TransformerNode {
        private final Supplier<SrtpReceiver> receiver;
        private final TransportCounters counters;

        SrtcpDecryptNode(Supplier<SrtpReceiver> receiver, TransportCounters counters) {
            super("srtcp-decrypt");
            this.receiver = receiver;
            this.counters = counters;
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            if (receiver.get().unprotectRtcp(packet.buffer()) != SrtpStatus.OK) {
                counters.dropped(DropReason.SRTP_REJECTED);
                return null;
            }
            return packet;
        }
    }

    /** Checks the RTP header (RFC 3550 §5.1, RFC 8285) and records its fields on the packet. */
    static final class RtpParseNode extends TransformerNode {
        private final TransportCounters counters;

        RtpParseNode(TransportCounters counters) {
            super("rtp-parse");
            this.counters = counters;
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            PacketBuffer b = packet.buffer();
            RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
            if (!rtp.isWellFormed()) {
                counters.dropped(DropReason.MALFORMED_RTP);
                return null;
            }
            packet.setRtpHeader(rtp.ssrc() & 0xffffffffL, rtp.payloadType(), rtp.sequenceNumber(), rtp.timestamp());
            counters.deliveredRtp();
            return packet;
        }
    }

    /** Walks the compound packet's headers (RFC 3550 §6.1); decoding is for whoever handles the RTCP. */
    static final class RtcpParseNode extends TransformerNode {
        private final TransportCounters counters;

        RtcpParseNode(TransportCounters counters) {
            super("rtcp-parse");
            this.counters = counters;
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            PacketBuffer b = packet.buffer();
            RtcpCompoundReader reader = new RtcpCompoundReader(b.getBuffer(), b.getOffset(), b.getLength());
            while (reader.next()) {
                // Walk only.
            }
            if (reader.malformation() != Malformation.NONE) {
                counters.dropped(DropReason.MALFORMED_RTCP);
                return null;
            }
            counters.deliveredRtcp();
            return packet;
        }
    }

    /** Hands RTP to a {@link MediaListener}: the end of the transport-only pipeline. */
    static final class ListenerRtpNode extends ConsumerNode {
        private final MediaListener listener;

        ListenerRtpNode(MediaListener listener) {
            super("listener-rtp");
            this.listener = listener;
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            listener.onRtp(packet.buffer());
            return true;
        }
    }

    /** Hands RTCP to a {@link MediaListener}. */
    static final class ListenerRtcpNode extends ConsumerNode {
        private final MediaListener listener;

        ListenerRtcpNode(MediaListener listener) {
            super("listener-rtcp");
            this.listener = listener;
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            listener.onRtcp(packet.buffer());
            return true;
        }
    }

    /** SRTP encryption for the send pipeline, in place. */
    static final class SrtpEncryptNode extends TransformerNode {
        private final Supplier<SrtpSender> sender;
        private final TransportCounters counters;

        SrtpEncryptNode(Supplier<SrtpSender> sender, TransportCounters counters) {
            super("srtp-encrypt");
            this.sender = sender;
            this.counters = counters;
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            SrtpSender s = sender.get();
            if (s == null) {
                counters.dropped(DropReason.SEND_BEFORE_KEYS);
                return null;
            }
            if (s.protectRtp(packet.buffer()) != SrtpStatus.OK) {
                counters.dropped(DropReason.ENCRYPT_FAILED);
                return null;
            }
            return packet;
        }
    }

    /** The transport-only pipeline's end: everything goes to a {@link MediaListener}. */
    static final class ListenerStages implements ReceiveStages {
        private final ListenerRtpNode rtp;
        private final ListenerRtcpNode rtcp;

        ListenerStages(MediaListener listener) {
            rtp = new ListenerRtpNode(listener);
            rtcp = new ListenerRtcpNode(listener);
        }

        @Override
        public Node rtp() {
            return rtp;
        }

        @Override
        public Node rtcp() {
            return rtcp;
        }
    }
}
