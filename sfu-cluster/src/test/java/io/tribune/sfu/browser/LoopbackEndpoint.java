package io.tribune.sfu.browser;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.rtp.FullIntraRequest;
import io.tribune.sfu.rtp.GenericNack;
import io.tribune.sfu.rtp.PictureLossIndication;
import io.tribune.sfu.rtp.ReceiverReport;
import io.tribune.sfu.rtp.RtcpCompoundReader;
import io.tribune.sfu.rtp.RtcpCompoundWriter;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.sdp.AnswerBuilder;
import io.tribune.sfu.sdp.Direction;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.sdp.SdpParseException;
import io.tribune.sfu.sdp.SendStream;
import io.tribune.sfu.sdp.WebRtcOffer;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.CloseReason;
import io.tribune.sfu.transport.EndpointTransport;
import io.tribune.sfu.transport.MediaListener;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simplest forwarding, for the browser test: one endpoint publishes camera and microphone and gets them back
 * on its recvonly sections under the SFU's own SSRCs. RTP is re-stamped with our SSRC (and the subscriber section's
 * payload type) and re-encrypted; NACK, PLI and FIR that the browser sends about our video are translated to its
 * camera SSRC, as a room's forwarding will do.
 *
 * <p>{@link #onRtp} and {@link #onRtcp} run on the transport's pipeline thread.
 */
final class LoopbackEndpoint implements MediaListener, AutoCloseable {

    static final long AUDIO_SSRC = 0x11110001L;
    static final long VIDEO_SSRC = 0x22220002L;
    static final long RTX_SSRC = 0x33330003L;

    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final AtomicLong loopedAudio = new AtomicLong();
    final AtomicLong loopedVideo = new AtomicLong();
    final AtomicLong loopedRtx = new AtomicLong();
    final AtomicLong feedbackForwarded = new AtomicLong();
    private final EndpointTransport transport;
    private final String answer;
    private final int publishedOpus;
    private final int publishedVp8;
    private final int publishedRtx;
    private final int loopOpus;
    private final int loopVp8;
    private final int loopRtx;
    private final int cameraSsrc;
    private final AtomicBoolean keyFrameRequested = new AtomicBoolean();
    private int firSequence;

    LoopbackEndpoint(String offerSdp, IceUdpPort port, DtlsCertificate certificate,
                     ScheduledExecutorService scheduler) throws IOException, SdpParseException {
        WebRtcOffer offer = WebRtcOffer.parse(offerSdp);
        OfferedMedia publishedAudio = find(offer, "audio", Direction.SENDONLY);
        OfferedMedia publishedVideo = find(offer, "video", Direction.SENDONLY);
        OfferedMedia loopAudio = find(offer, "audio", Direction.RECVONLY);
        OfferedMedia loopVideo = find(offer, "video", Direction.RECVONLY);
        publishedOpus = publishedAudio.codec("opus").orElseThrow().payloadType();
        publishedVp8 = publishedVideo.codec("VP8").orElseThrow().payloadType();
        publishedRtx = publishedVideo.rtxFor(publishedVp8).orElseThrow().payloadType();
        loopOpus = loopAudio.codec("opus").orElseThrow().payloadType();
        loopVp8 = loopVideo.codec("VP8").orElseThrow().payloadType();
        loopRtx = loopVideo.rtxFor(loopVp8).orElseThrow().payloadType();
        cameraSsrc = (int) (publishedVideo.rtxSsrcs().isEmpty() ? publishedVideo.ssrcs().get(0)
                : publishedVideo.rtxSsrcs().get(0).media());

        transport = new EndpointTransport("loopback", port, certificate, scheduler, Clock.systemUTC(), this,
                EndpointTransport.DEFAULT_RECEIVE_QUEUE);
        answer = new AnswerBuilder(offer, transport.localTransport(), 4_242_424_242L)
                .receive(publishedAudio.mid(), "opus")
                .receive(publishedVideo.mid(), "VP8")
                .send(loopAudio.mid(), new SendStream("sfu", "loop-audio", "tribune-sfu", AUDIO_SSRC,
                        OptionalLong.empty()), "opus")
                .send(loopVideo.mid(), new SendStream("sfu", "loop-video", "tribune-sfu", VIDEO_SSRC,
                        OptionalLong.of(RTX_SSRC)), "VP8")
                .build().toString();
        transport.start(offer.transport());
    }

    private static OfferedMedia find(WebRtcOffer offer, String kind, Direction direction) throws SdpParseException {
        return offer.media().stream().filter(m -> m.kind().equals(kind) && m.direction() == direction).findFirst()
                .orElseThrow(() -> new SdpParseException("no " + direction + " " + kind + " section"));
    }

    String answer() {
        return answer;
    }

    EndpointTransport transport() {
        return transport;
    }

    @Override
    public void onConnected(EndpointTransport t) {
        connected.complete(null);
    }

    @Override
    public void onRtp(PacketBuffer packet) {
        RtpPacket rtp = RtpPacket.parse(packet.getBuffer(), packet.getOffset(), packet.getLength());
        int pt = rtp.payloadType();
        if (pt == publishedOpus) {
            restamp(rtp, AUDIO_SSRC, loopOpus, loopedAudio);
        } else if (pt == publishedVp8) {
            restamp(rtp, VIDEO_SSRC, loopVp8, loopedVideo);
            if (keyFrameRequested.compareAndSet(false, true)) {
                // The first key frame may have passed before the subscriber could decode: ask for a fresh one.
                sendFeedback(List.of(new PictureLossIndication((int) VIDEO_SSRC, cameraSsrc)));
            }
        } else if (pt == publishedRtx) {
            restamp(rtp, RTX_SSRC, loopRtx, loopedRtx);
        } else {
            return;
        }
        transport.sendRtp(packet);
    }

    /** Sequence numbers and timestamps stay: the loop has one source per SSRC, so they are continuous. */
    private static void restamp(RtpPacket rtp, long ssrc, int payloadType, AtomicLong counter) {
        rtp.setSsrc((int) ssrc);
        rtp.setPayloadType(payloadType);
        counter.incrementAndGet();
    }

    @Override
    public void onRtcp(PacketBuffer packet) {
        List<RtcpPacket> feedback = new ArrayList<>();
        for (RtcpPacket rtcp : RtcpCompoundReader.parse(packet.getBuffer(), packet.getOffset(), packet.getLength())
                .packets()) {
            if (rtcp instanceof GenericNack nack && isLoopVideo(nack.mediaSsrc())) {
                feedback.add(new GenericNack((int) VIDEO_SSRC, cameraSsrc, nack.lostSequenceNumbers()));
            } else if (rtcp instanceof PictureLossIndication pli && isLoopVideo(pli.mediaSsrc())) {
                feedback.add(new PictureLossIndication((int) VIDEO_SSRC, cameraSsrc));
            } else if (rtcp instanceof FullIntraRequest fir
                    && fir.entries().stream().anyMatch(e -> isLoopVideo(e.ssrc()))) {
                feedback.add(new FullIntraRequest((int) VIDEO_SSRC,
                        List.of(new FullIntraRequest.Entry(cameraSsrc, firSequence++ & 0xff))));
            }
        }
        if (!feedback.isEmpty()) {
            feedbackForwarded.addAndGet(feedback.size());
            sendFeedback(feedback);
        }
    }

    private static boolean isLoopVideo(int ssrc) {
        return ssrc == (int) VIDEO_SSRC || ssrc == (int) RTX_SSRC;
    }

    /** Feedback goes out as a compound packet led by an empty receiver report (RFC 3550 §6.1). */
    private void sendFeedback(List<RtcpPacket> feedback) {
        List<RtcpPacket> compound = new ArrayList<>();
        compound.add(new ReceiverReport((int) VIDEO_SSRC, List.of()));
        compound.addAll(feedback);
        byte[] bytes = RtcpCompoundWriter.encode(compound);
        transport.sendRtcp(PacketBuffer.copyOf(bytes, 0, bytes.length));
    }

    @Override
    public void onClosed(CloseReason reason) {
        connected.completeExceptionally(new IllegalStateException("transport closed: " + reason));
    }

    @Override
    public void close() {
        transport.close();
    }
}
