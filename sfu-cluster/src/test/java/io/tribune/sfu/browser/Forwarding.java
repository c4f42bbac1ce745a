package io.tribune.sfu.browser;

import io.tribune.sfu.rtp.FullIntraRequest;
import io.tribune.sfu.rtp.GenericNack;
import io.tribune.sfu.rtp.PictureLossIndication;
import io.tribune.sfu.rtp.ReceiverReport;
import io.tribune.sfu.rtp.RtcpCompoundReader;
import io.tribune.sfu.rtp.RtcpCompoundWriter;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.sdp.SendStream;
import io.tribune.sfu.srtp.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simplest forwarding, for the browser tests: a publisher's camera and microphone go to a subscriber under the
 * SFU's own SSRCs. RTP is re-stamped with our SSRC and the subscriber section's payload type (sequence numbers
 * and timestamps stay: one source per SSRC keeps them continuous). NACK, PLI and FIR the subscriber sends about
 * our video are translated to the publisher's camera SSRC, as a room's forwarding will do.
 *
 * <p>{@link #restamp} runs on the publisher's pipeline thread, {@link #feedbackFor} on the subscriber's.
 */
final class Forwarding {

    static final long AUDIO_SSRC = 0x11110001L;
    static final long VIDEO_SSRC = 0x22220002L;
    static final long RTX_SSRC = 0x33330003L;
    static final SendStream AUDIO = new SendStream("sfu", "forwarded-audio", "tribune-sfu", AUDIO_SSRC,
            OptionalLong.empty());
    static final SendStream VIDEO = new SendStream("sfu", "forwarded-video", "tribune-sfu", VIDEO_SSRC,
            OptionalLong.of(RTX_SSRC));

    final AtomicLong audio = new AtomicLong();
    final AtomicLong video = new AtomicLong();
    final AtomicLong rtx = new AtomicLong();
    final AtomicLong feedback = new AtomicLong();
    private final int publishedOpus;
    private final int publishedVp8;
    private final int publishedRtx;
    private final int subscribedOpus;
    private final int subscribedVp8;
    private final int subscribedRtx;
    private final int cameraSsrc;
    private int firSequence;

    Forwarding(OfferedMedia publishedAudio, OfferedMedia publishedVideo, OfferedMedia subscribedAudio,
               OfferedMedia subscribedVideo) {
        publishedOpus = publishedAudio.codec("opus").orElseThrow().payloadType();
        publishedVp8 = publishedVideo.codec("VP8").orElseThrow().payloadType();
        publishedRtx = publishedVideo.rtxFor(publishedVp8).orElseThrow().payloadType();
        subscribedOpus = subscribedAudio.codec("opus").orElseThrow().payloadType();
        subscribedVp8 = subscribedVideo.codec("VP8").orElseThrow().payloadType();
        subscribedRtx = subscribedVideo.rtxFor(subscribedVp8).orElseThrow().payloadType();
        cameraSsrc = (int) (publishedVideo.rtxSsrcs().isEmpty() ? publishedVideo.ssrcs().get(0)
                : publishedVideo.rtxSsrcs().get(0).media());
    }

    /** Re-stamps a published packet in place for the subscriber; false for payload types we do not forward. */
    boolean restamp(PacketBuffer packet) {
        RtpPacket rtp = RtpPacket.parse(packet.getBuffer(), packet.getOffset(), packet.getLength());
        int pt = rtp.payloadType();
        if (pt == publishedOpus) {
            restamp(rtp, AUDIO_SSRC, subscribedOpus, audio);
        } else if (pt == publishedVp8) {
            restamp(rtp, VIDEO_SSRC, subscribedVp8, video);
        } else if (pt == publishedRtx) {
            restamp(rtp, RTX_SSRC, subscribedRtx, rtx);
        } else {
            return false;
        }
        return true;
    }

    private static void restamp(RtpPacket rtp, long ssrc, int payloadType, AtomicLong counter) {
        rtp.setSsrc((int) ssrc);
        rtp.setPayloadType(payloadType);
        counter.incrementAndGet();
    }

    /** The subscriber's feedback about our video, addressed to the publisher's camera; empty if none. */
    List<RtcpPacket> feedbackFor(PacketBuffer rtcp) {
        List<RtcpPacket> out = new ArrayList<>();
        for (RtcpPacket packet : RtcpCompoundReader.parse(rtcp.getBuffer(), rtcp.getOffset(), rtcp.getLength())
                .packets()) {
            if (packet instanceof GenericNack nack && isForwardedVideo(nack.mediaSsrc())) {
                out.add(new GenericNack((int) VIDEO_SSRC, cameraSsrc, nack.lostSequenceNumbers()));
            } else if (packet instanceof PictureLossIndication pli && isForwardedVideo(pli.mediaSsrc())) {
                out.add(keyFrameRequest());
            } else if (packet instanceof FullIntraRequest fir
                    && fir.entries().stream().anyMatch(e -> isForwardedVideo(e.ssrc()))) {
                out.add(new FullIntraRequest((int) VIDEO_SSRC,
                        List.of(new FullIntraRequest.Entry(cameraSsrc, firSequence++ & 0xff))));
            }
        }
        feedback.addAndGet(out.size());
        return out;
    }

    /** A PLI to the publisher's camera: a new subscriber needs a key frame to start decoding. */
    RtcpPacket keyFrameRequest() {
        return new PictureLossIndication((int) VIDEO_SSRC, cameraSsrc);
    }

    private static boolean isForwardedVideo(int ssrc) {
        return ssrc == (int) VIDEO_SSRC || ssrc == (int) RTX_SSRC;
    }

    /** Feedback goes out as a compound packet led by an empty receiver report (RFC 3550 §6.1). */
    static PacketBuffer compound(List<RtcpPacket> feedback) {
        List<RtcpPacket> packets = new ArrayList<>();
        packets.add(new ReceiverReport((int) VIDEO_SSRC, List.of()));
        packets.addAll(feedback);
        byte[] bytes = RtcpCompoundWriter.encode(packets);
        return PacketBuffer.copyOf(bytes, 0, bytes.length);
    }

    @Override
    public String toString() {
        return "forwarded audio " + audio + ", video " + video + ", rtx " + rtx + ", feedback " + feedback;
    }
}
