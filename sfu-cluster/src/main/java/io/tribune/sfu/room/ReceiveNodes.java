package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.FilterNode;
import io.tribune.sfu.pipeline.ObserverNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.TransformerNode;
import io.tribune.sfu.rtp.FullIntraRequest;
import io.tribune.sfu.rtp.GenericNack;
import io.tribune.sfu.rtp.PictureLossIndication;
import io.tribune.sfu.rtp.ReceiverReport;
import io.tribune.sfu.rtp.ReportBlock;
import io.tribune.sfu.rtp.SenderReport;
import io.tribune.sfu.rtp.RtcpCompoundReader;
import io.tribune.sfu.rtp.RtcpPacket;
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
            Object[] targets = ((PublishedTrack) packet.route()).downTracks().toArray();
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
     * publisher; reports are terminated here (the SFU is the peer of each leg).
     */
    static final class RtcpTermination extends ConsumerNode {
        /** Seconds from 1900 (NTP's epoch) to 1970. */
        static final long NTP_EPOCH_OFFSET_SECONDS = 2_208_988_800L;
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
                } else if (rtcp instanceof ReceiverReport rr) {
                    reports(rr.reports());
                } else if (rtcp instanceof SenderReport sr) {
                    reports(sr.reports());
                }
            }
            return true;
        }

        /** What the subscriber says about the streams we send it: loss, and RTT once we send sender reports. */
        private void reports(List<ReportBlock> blocks) {
            long now = clock.millis();
            for (ReportBlock block : blocks) {
                DownTrack down = participant.downTrackBySsrc(block.ssrc() & 0xffffffffL);
                if (down != null) {
                    down.reported(block.fractionLost(), roundTripMillis(block, now));
                }
            }
        }

        /**
         * RFC 3550 §6.4.1: RTT = A - LSR - DLSR, in 1/65536 s, A being now in the middle 32 bits of NTP time; -1
         * when the block names no sender report (LSR 0) or the result is not plausible.
         */
        static double roundTripMillis(ReportBlock block, long nowMillis) {
            if (block.lastSenderReport() == 0) {
                return -1;
            }
            long seconds = nowMillis / 1000 + NTP_EPOCH_OFFSET_SECONDS;
            long arrival = ((seconds & 0xffff) << 16) | ((nowMillis % 1000) * 65536 / 1000);
            long rtt = (arrival - block.lastSenderReport() - block.delaySinceLastSenderReport()) & 0xffffffffL;
            return rtt >= 0x8000_0000L ? -1 : rtt * 1000.0 / 65536;
        }

        private void keyFrame(int mediaSsrc) {
            DownTrack down = participant.downTrackBySsrc(mediaSsrc & 0xffffffffL);
            if (down != null) {
                down.track().requestKeyFrame(clock.millis());
            }
        }
    }
}
