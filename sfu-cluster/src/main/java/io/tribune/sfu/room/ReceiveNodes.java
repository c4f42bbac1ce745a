package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.FilterNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.FullIntraRequest;
import io.tribune.sfu.rtp.GenericNack;
import io.tribune.sfu.rtp.PictureLossIndication;
import io.tribune.sfu.rtp.RtcpCompoundReader;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import java.time.Clock;

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
     * Puts the packet into the send queue of every subscriber of its track: a copy for each but the last, which
     * gets the original (STYLE: fan-out clones for every receiver but the last).
     */
    static final class FanOut extends ConsumerNode {
        FanOut() {
            super("room-fan-out");
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            Object[] targets = ((PublishedTrack) packet.route()).downTracks().toArray();
            boolean all = true;
            for (int i = 0; i < targets.length; i++) {
                DownTrack down = (DownTrack) targets[i];
                PacketInfo out = i == targets.length - 1 ? packet : packet.copy();
                out.setRoute(down);
                all &= down.subscriber().enqueueForSend(out);
            }
            return all;
        }
    }

    /**
     * Ends the RTCP a participant sends. A NACK about a down track goes to this participant's send loop, which
     * answers from its cache and asks the publisher for the rest; PLI and FIR become a (rate-limited) PLI to the
     * publisher; reports are terminated here (the SFU is the peer of each leg).
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
                    DownTrack down = participant.downTrackBySsrc(nack.mediaSsrc() & 0xffffffffL);
                    if (down != null) {
                        participant.requestResend(down, nack.lostSequenceNumbers());
                    }
                } else if (rtcp instanceof PictureLossIndication pli) {
                    keyFrame(pli.mediaSsrc());
                } else if (rtcp instanceof FullIntraRequest fir) {
                    fir.entries().forEach(entry -> keyFrame(entry.ssrc()));
                }
            }
            return true;
        }

        private void keyFrame(int mediaSsrc) {
            DownTrack down = participant.downTrackBySsrc(mediaSsrc & 0xffffffffL);
            if (down != null) {
                down.track().requestKeyFrame(clock.millis());
            }
        }
    }
}
