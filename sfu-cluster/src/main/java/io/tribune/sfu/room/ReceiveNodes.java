package io.tribune.sfu.room;

import io.tribune.sfu.media.H264Payload;
import io.tribune.sfu.media.Vp8Payload;
import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.FilterNode;
import io.tribune.sfu.pipeline.ObserverNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.FullIntraRequest;
import io.tribune.sfu.rtp.GenericNack;
import io.tribune.sfu.rtp.NtpTime;
import io.tribune.sfu.rtp.PictureLossIndication;
import io.tribune.sfu.rtp.ReceiverReport;
import io.tribune.sfu.rtp.Remb;
import io.tribune.sfu.rtp.ReportBlock;
import io.tribune.sfu.rtp.RtcpCompoundReader;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.rtp.SenderReport;
import io.tribune.sfu.rtp.TransportCcFeedback;
import io.tribune.sfu.srtp.PacketBuffer;
import java.time.Clock;
import java.util.List;

/**
 * The room's nodes of a participant's receive pipeline, after the transport's decrypt and parse. Not
 * thread-safe: each node belongs to one participant's receive pipeline.
 */
final class ReceiveNodes {

    private ReceiveNodes() {
    }

    /** Finds the published track a packet belongs to (by SSRC, else by its mid extension); drops the rest. */
    static final class TrackClassifier extends TransformerNode {
        private final Participant publisher;

        TrackClassifier(Participant publisher) {
            super("track-classifier");
            this.publisher = publisher;
        }

        @Override
        protected PacketInfo transform(PacketInfo packet) {
            PublishedTrack track = publisher.trackFor(packet);
            if (track == null) {
                return null;
            }
            packet.setRoute(track);
            return packet;
        }
    }

    /**
     * Records each packet's transport-wide sequence number and arrival, and sends the publisher transport-cc
     * feedback every 100 ms, so that its browser's congestion control can raise its rate. Before classification:
     * every packet counts, padding and probes included.
     */
    static final class TransportCcRecording extends ObserverNode {
        private final Participant publisher;

        TransportCcRecording(Participant publisher) {
            super("transport-cc-recorder");
            this.publisher = publisher;
        }

        @Override
        protected void observe(PacketInfo packet) {
            if (packet.transportSequence() >= 0) {
                publisher.recordTransportSequence(packet.transportSequence(), packet.ssrc(), packet.receivedNanos());
            }
        }
    }

    /**
     * Marks the packets that start a key frame (VP8 key frame, H.264 SPS or IDR), where a subscriber may switch to
     * this layer, and learns each layer's size from its key frames (VP8's frame header, H.264's SPS).
     */
    static final class KeyFrameDetector extends ObserverNode {
        KeyFrameDetector() {
            super("key-frame-detector");
        }

        @Override
        protected void observe(PacketInfo packet) {
            PublishedTrack track = (PublishedTrack) packet.route();
            if (!track.kind().equals("video") || track.isRetransmission(packet.ssrc(), packet.payloadType())) {
                return;
            }
            PacketBuffer b = packet.buffer();
            RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
            if (!rtp.isWellFormed() || rtp.payloadLength() == 0) {
                return;
            }
            List<Layer> layers = track.layers();
            if (track.isH264()) {
                boolean key = H264Payload.isKeyFrame(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
                packet.setKeyFrame(key);
                int[] size = key ? H264Payload.spsSize(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength()) : null;
                if (size != null && packet.layer() < layers.size()) {
                    layers.get(packet.layer()).setSize(size[0], size[1]);
                }
                return;
            }
            Vp8Payload vp8 = Vp8Payload.parse(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
            if (vp8.isKeyFrame()) {
                packet.setKeyFrame(true);
                if (vp8.width() > 0 && packet.layer() < layers.size()) {
                    layers.get(packet.layer()).setSize(vp8.width(), vp8.height());
                }
            }
        }
    }

    /**
     * Per layer: the media bitrate (for layer selection) and the RFC 3550 reception statistics (loss, jitter) that
     * the receiver reports to the publisher carry, sent from here once a second.
     */
    static final class ReceptionStatisticsNode extends ObserverNode {
        private final Participant publisher;

        ReceptionStatisticsNode(Participant publisher) {
            super("reception-statistics");
            this.publisher = publisher;
        }

        @Override
        protected void observe(PacketInfo packet) {
            PublishedTrack track = (PublishedTrack) packet.route();
            List<Layer> layers = track.layers();
            long now = packet.receivedNanos();
            if (packet.layer() < layers.size() && !track.isRetransmission(packet.ssrc(), packet.payloadType())) {
                Layer layer = layers.get(packet.layer());
                layer.countPacket(packet.buffer().getLength(), now);
                long rate = track.kind().equals("audio") ? 48_000 : 90_000;
                layer.reception.received(packet.sequenceNumber(), packet.timestamp(),
                        (now / 1000) * rate / 1_000_000);
            }
            publisher.maybeSendReceiverReports(now);
        }
    }

    /** Holds back the packets of a muted track: the others' decoders stop, and resume at the next key frame. */
    static final class MuteFilter extends FilterNode {
        MuteFilter() {
            super("mute-filter");
        }

        @Override
        protected boolean accept(PacketInfo packet) {
            return !((PublishedTrack) packet.route()).muted();
        }
    }

    /**
     * Records each microphone packet's RFC 6464 level for the room's dominant speaker detection. After the mute
     * filter: a muted microphone never counts.
     */
    static final class AudioLevelObserver extends ObserverNode {
        private final int speechLevel;

        AudioLevelObserver(int speechLevel) {
            super("audio-level-observer");
            this.speechLevel = speechLevel;
        }

        @Override
        protected void observe(PacketInfo packet) {
            AudioLevels levels = ((PublishedTrack) packet.route()).levels;
            if (levels != null && packet.audioLevel() != PacketInfo.NO_AUDIO_LEVEL) {
                levels.record(packet.audioLevel(), speechLevel);
            }
        }
    }

    /**
     * Puts the packet into the send queue of every subscriber of its track: a copy for each but the last, which
     * gets the original (STYLE: fan-out clones for every receiver but the last).
     */
    static final class FanOut extends ConsumerNode {
        FanOut() {
            super("room-fan-out");
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            PublishedTrack track = (PublishedTrack) packet.route();
            for (StageTap tap : track.taps()) {
                tap.offer(track, packet);
            }
            Object[] targets = track.downTracks().toArray();
            int last = targets.length - 1;
            while (last >= 0 && ((DownTrack) targets[last]).paused()) {
                last--;
            }
            boolean all = true;
            for (int i = 0; i <= last; i++) {
                DownTrack down = (DownTrack) targets[i];
                if (down.paused()) {
                    // Outside this subscriber's last-N.
                    continue;
                }
                PacketInfo out = i == last ? packet : packet.copy();
                out.setRoute(down);
                all &= down.subscriber().enqueueForSend(out);
            }
            return all;
        }
    }

    /**
     * Ends the RTCP a participant sends. A NACK about a down track goes to this participant's send loop, which
     * answers from its cache and asks the publisher for the rest; PLI and FIR become a (rate-limited) PLI to the
     * publisher; transport-cc feedback and REMB go to this participant's send loop (its downlink estimate); a
     * sender report is kept on the layer it describes (for our receiver reports and the subscribers' sender
     * reports); report blocks about our streams give the round-trip time. Reports end here (the SFU is the peer
     * of each leg).
     */
    static final class RtcpTermination extends ConsumerNode {
        private final Participant participant;
        private final Clock clock;

        RtcpTermination(Participant participant, Clock clock) {
            super("rtcp-termination");
            this.participant = participant;
            this.clock = clock;
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            PacketBuffer b = packet.buffer();
            for (RtcpPacket rtcp : RtcpCompoundReader.parse(b.getBuffer(), b.getOffset(), b.getLength())
                    .packets()) {
                if (rtcp instanceof GenericNack nack) {
                    participant.room().counters().nacksReceived.increment();
                    DownTrack down = participant.downTrackBySsrc(nack.mediaSsrc() & 0xffffffffL);
                    if (down != null) {
                        participant.requestResend(down, nack.lostSequenceNumbers());
                    }
                } else if (rtcp instanceof PictureLossIndication pli) {
                    participant.room().counters().keyFrameRequestsReceived.increment();
                    keyFrame(pli.mediaSsrc());
                } else if (rtcp instanceof FullIntraRequest fir) {
                    participant.room().counters().keyFrameRequestsReceived.add(fir.entries().size());
                    fir.entries().forEach(entry -> keyFrame(entry.ssrc()));
                } else if (rtcp instanceof TransportCcFeedback || rtcp instanceof Remb) {
                    participant.bandwidthFeedback(rtcp);
                } else if (rtcp instanceof SenderReport sr) {
                    senderReport(sr, packet.receivedNanos());
                    reportBlocks(sr.reports());
                } else if (rtcp instanceof ReceiverReport rr) {
                    reportBlocks(rr.reports());
                }
            }
            return true;
        }

        private void senderReport(SenderReport sr, long nowNanos) {
            long ssrc = sr.senderSsrc() & 0xffffffffL;
            PublishedTrack track = participant.publishedBySsrc(ssrc);
            int index = track == null ? -1 : track.layerOf(ssrc);
            if (index < 0 || index >= track.layers().size()) {
                return;
            }
            Layer layer = track.layers().get(index);
            if (layer.ssrc() == ssrc) {
                layer.setSenderClock(new Layer.SenderClock(sr.ntpTimestamp(), sr.rtpTimestamp(), nowNanos));
                layer.reception.senderReport(sr.ntpTimestamp(), nowNanos);
            }
        }

        private void reportBlocks(List<ReportBlock> blocks) {
            if (blocks.isEmpty()) {
                return;
            }
            long now = NtpTime.of(clock.instant());
            for (ReportBlock block : blocks) {
                DownTrack down = participant.downTrackBySsrc(block.ssrc() & 0xffffffffL);
                if (down != null && down.ssrc() == (block.ssrc() & 0xffffffffL)) {
                    down.reported(block.fractionLost(), participant.reportBlock(block, now));
                }
            }
        }

        private void keyFrame(int mediaSsrc) {
            DownTrack down = participant.downTrackBySsrc(mediaSsrc & 0xffffffffL);
            if (down != null) {
                down.track().requestKeyFrame(clock.millis());
            }
        }
    }
}
