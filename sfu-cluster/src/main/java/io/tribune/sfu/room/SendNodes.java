package io.tribune.sfu.room;

import io.tribune.sfu.media.Vp8Payload;
import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.ExpanderNode;
import io.tribune.sfu.pipeline.FilterNode;
import io.tribune.sfu.pipeline.ObserverNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.NtpTime;
import io.tribune.sfu.rtp.RtcpCompoundWriter;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.rtp.SenderReport;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.EndpointTransport;
import java.time.Clock;
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

    /** A subscriber's transport-cc feedback or REMB, travelling to the send pipeline that owns its estimator. */
    record Feedback(RtcpPacket packet) {
    }

    static boolean isFeedback(PacketInfo packet) {
        return packet.route() instanceof Feedback;
    }

    /** Feeds the subscriber's bandwidth feedback to its estimator, which chooses the layers again. */
    static final class BandwidthFeedback extends ConsumerNode {
        private final DownlinkControl control;

        BandwidthFeedback(DownlinkControl control) {
            super("bandwidth-feedback");
            this.control = control;
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            control.onFeedback(((Feedback) packet.route()).packet(), packet.receivedNanos());
            return true;
        }
    }

    /**
     * Forwards one simulcast layer of each video track: the current one, until a key frame of the target layer
     * (chosen by {@link DownlinkControl}) arrives, which becomes the current one from that packet on. While it
     * waits it asks the publisher for that key frame (rate limited per layer). The old layer keeps flowing
     * meanwhile, so the subscriber never freezes on a switch. Tracks without simulcast pass untouched.
     */
    static final class SimulcastFilter extends FilterNode {
        private final DownlinkControl control;
        private final Clock clock;

        SimulcastFilter(DownlinkControl control, Clock clock) {
            super("simulcast-filter");
            this.control = control;
            this.clock = clock;
        }

        @Override
        protected boolean accept(PacketInfo packet) {
            DownTrack down = (DownTrack) packet.route();
            PublishedTrack track = down.track();
            if (track.layers().size() <= 1) {
                return true;
            }
            control.maybeAllocate(packet.receivedNanos());
            int layer = packet.layer();
            int current = down.currentLayer();
            int target = down.targetLayer() >= 0 ? down.targetLayer() : current;
            if (track.isRetransmission(packet.ssrc(), packet.payloadType())) {
                return layer == current;
            }
            if (layer == target && layer != current) {
                if (packet.keyFrame()) {
                    down.setCurrentLayer(layer);
                    announce(down, layer);
                    return true;
                }
                track.requestKeyFrame(target, clock.millis());
                return false;
            }
            if (layer == current) {
                if (target != current && target >= 0) {
                    track.requestKeyFrame(target, clock.millis());
                }
                return true;
            }
            return false;
        }
    }

    private static final String[] LAYER_NAMES = {"low", "medium", "high"};

    /** Tells the subscriber which layer it now receives (the {@code quality} event). */
    private static void announce(DownTrack down, int layer) {
        ParticipantEvents events = down.subscriber().events();
        List<Layer> layers = down.track().layers();
        if (events == null || layer >= layers.size()) {
            return;
        }
        // Named by index, as subscribe's layer preference counts them: low is always the lowest.
        String name = LAYER_NAMES[Math.min(layer, LAYER_NAMES.length - 1)];
        events.layerChanged(down.track().id(), name, layers.get(layer).width(), layers.get(layer).height());
    }

    /**
     * Keeps VP8 picture IDs and TL0PICIDX (RFC 7741 §4.2) continuous when the source layer changes: the receiver
     * orders frames by picture ID and would drop a key frame whose ID is older than the last one it decoded.
     */
    static final class Vp8PictureIdRewriter extends TransformerNode {
        Vp8PictureIdRewriter() {
            super("vp8-picture-id-rewriter");
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            DownTrack down = (DownTrack) packet.route();
            PublishedTrack track = down.track();
            if (!track.kind().equals("video") || track.isH264()
                    || track.isRetransmission(packet.ssrc(), packet.payloadType())) {
                return packet;
            }
            PacketBuffer b = packet.buffer();
            RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
            if (!rtp.isWellFormed() || rtp.payloadLength() == 0) {
                return packet;
            }
            byte[] buf = rtp.buffer();
            Vp8Payload vp8 = Vp8Payload.parse(buf, rtp.payloadOffset(), rtp.payloadLength());
            if (!vp8.isValid() || vp8.pictureIdBits() == 0) {
                return packet;
            }
            int mask = vp8.pictureIdBits() == 15 ? 0x7fff : 0x7f;
            int pictureId = vp8.pictureId(buf);
            int tl0 = vp8.tl0PicIdx(buf);
            if (packet.ssrc() != down.vp8SourceSsrc) {
                if (down.vp8Started) {
                    down.pictureIdOffset = (down.lastPictureId + 1 - pictureId) & mask;
                    down.tl0PicIdxOffset = tl0 < 0 ? 0 : (down.lastTl0PicIdx + 1 - tl0) & 0xff;
                } else {
                    down.pictureIdOffset = 0;
                    down.tl0PicIdxOffset = 0;
                    down.lastPictureId = pictureId;
                    down.lastTl0PicIdx = Math.max(tl0, 0);
                }
                down.vp8Started = true;
                down.vp8SourceSsrc = packet.ssrc();
            }
            int outPictureId = (pictureId + down.pictureIdOffset) & mask;
            vp8.setPictureId(buf, outPictureId);
            if (((outPictureId - down.lastPictureId) & mask) < (mask + 1) / 2) {
                down.lastPictureId = outPictureId;
            }
            if (tl0 >= 0) {
                int outTl0 = (tl0 + down.tl0PicIdxOffset) & 0xff;
                vp8.setTl0PicIdx(buf, outTl0);
                if (((outTl0 - down.lastTl0PicIdx) & 0xff) < 0x80) {
                    down.lastTl0PicIdx = outTl0;
                }
            }
            return packet;
        }
    }

    /**
     * Counts what each down stream sends and, once a second per stream, sends the subscriber an RTCP sender report
     * (RFC 3550 §6.4.1): our wall clock as NTP, and the RTP time of the same instant, mapped from the publisher's
     * own latest sender report (so audio and video of one publisher stay in sync at the receiver) or, before one
     * arrived, extrapolated from the last packet.
     */
    static final class SenderReports extends ObserverNode {
        private final EndpointTransport transport;
        private final Participant subscriber;
        private final Clock clock;

        SenderReports(EndpointTransport transport, Participant subscriber, Clock clock) {
            super("sender-reports");
            this.transport = transport;
            this.subscriber = subscriber;
            this.clock = clock;
        }

        @Override
        protected void observe(PacketInfo packet) {
            DownTrack down = (DownTrack) packet.route();
            PacketBuffer b = packet.buffer();
            RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
            if ((rtp.ssrc() & 0xffffffffL) != down.ssrc()) {
                return;
            }
            down.packetsSent++;
            down.octetsSent += rtp.payloadLength();
            long now = System.nanoTime();
            if (now - down.lastSenderReportNanos < 1_000_000_000L) {
                return;
            }
            down.lastSenderReportNanos = now;
            PublishedTrack track = down.track();
            long rate = track.kind().equals("audio") ? 48_000 : 90_000;
            List<Layer> layers = track.layers();
            Layer layer = layers.get(Math.max(0, Math.min(down.currentLayer(), layers.size() - 1)));
            Layer.SenderClock source = layer.senderClock();
            long rtpNow;
            if (source != null && layer.ssrc() == down.sourceSsrc) {
                rtpNow = source.rtpTimestamp() + (now - source.receivedNanos()) * rate / 1_000_000_000L
                        + down.timestampOffset;
            } else {
                rtpNow = down.lastTimestamp + (now - down.lastSentNanos) * rate / 1_000_000_000L;
            }
            SenderReport report = new SenderReport((int) down.ssrc(), NtpTime.of(clock.instant()),
                    rtpNow & 0xffffffffL, down.packetsSent & 0xffffffffL, down.octetsSent & 0xffffffffL, List.of());
            byte[] bytes = RtcpCompoundWriter.encode(List.of(report));
            if (transport.isConnected() && !subscriber.isClosed()) {
                transport.sendRtcp(PacketBuffer.copyOf(bytes, 0, bytes.length));
            }
        }
    }

    /**
     * Writes the transport-wide sequence number (transport-cc header extension, one-byte form, RFC 8285) into
     * every RTP packet to the subscriber and records it for the downlink estimate. The packet has no extension
     * block here (the stripper removed the publisher's), so one is inserted after the header.
     */
    static final class TransportCcTagger extends TransformerNode {
        private final Participant subscriber;
        private final DownlinkControl control;
        private int sequence;

        TransportCcTagger(Participant subscriber, DownlinkControl control) {
            super("transport-cc-tagger");
            this.subscriber = subscriber;
            this.control = control;
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            int id = subscriber.extensionIds().transportCc();
            PacketBuffer b = packet.buffer();
            RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
            if (id < 1 || id > 14 || !rtp.isWellFormed() || rtp.hasExtension()) {
                return packet;
            }
            int header = rtp.headerLength();
            int length = b.getLength();
            b.grow(8 + 16); // the extension, then room for the SRTP tag (at most 16 bytes)
            byte[] buf = b.getBuffer();
            int off = b.getOffset();
            System.arraycopy(buf, off + header, buf, off + header + 8, length - header);
            buf[off] |= 0x10;
            buf[off + header] = (byte) 0xbe;
            buf[off + header + 1] = (byte) 0xde;
            buf[off + header + 2] = 0;
            buf[off + header + 3] = 1;
            buf[off + header + 4] = (byte) ((id << 4) | 1);
            buf[off + header + 5] = (byte) (sequence >>> 8);
            buf[off + header + 6] = (byte) sequence;
            buf[off + header + 7] = 0;
            b.setLength(length + 8);
            control.onSent(sequence, length + 8, System.nanoTime());
            sequence = (sequence + 1) & 0xffff;
            return packet;
        }
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
                    int publisherSequence = (sequence - down.sequenceOffset()) & 0xffff;
                    missing.add(publisherSequence);
                    down.requestedFromPublisher(publisherSequence);
                    continue;
                }
                out.add(rtx(down, original, request.receivedNanos()));
            }
            List<Layer> layers = down.track().layers();
            long source = layers.get(Math.max(0, Math.min(down.currentLayer(), layers.size() - 1))).ssrc();
            if (!missing.isEmpty() && source >= 0) {
                down.track().owner().sendNack(source, missing);
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
