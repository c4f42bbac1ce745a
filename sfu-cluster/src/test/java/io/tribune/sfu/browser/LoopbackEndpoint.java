package io.tribune.sfu.browser;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.sdp.AnswerBuilder;
import io.tribune.sfu.sdp.Direction;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.sdp.SdpParseException;
import io.tribune.sfu.sdp.WebRtcOffer;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.CloseReason;
import io.tribune.sfu.transport.EndpointTransport;
import io.tribune.sfu.transport.MediaListener;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One peer connection that publishes camera and microphone on its sendonly sections and gets them back, through
 * {@link Forwarding}, on its recvonly sections.
 */
final class LoopbackEndpoint implements MediaListener, AutoCloseable {

    final Forwarding forwarding;
    private final EndpointTransport transport;
    private final String answer;
    private final AtomicBoolean keyFrameRequested = new AtomicBoolean();

    LoopbackEndpoint(String offerSdp, IceUdpPort port, DtlsCertificate certificate,
                     ScheduledExecutorService scheduler) throws IOException, SdpParseException {
        WebRtcOffer offer = WebRtcOffer.parse(offerSdp);
        OfferedMedia publishedAudio = find(offer, "audio", Direction.SENDONLY);
        OfferedMedia publishedVideo = find(offer, "video", Direction.SENDONLY);
        OfferedMedia loopAudio = find(offer, "audio", Direction.RECVONLY);
        OfferedMedia loopVideo = find(offer, "video", Direction.RECVONLY);
        forwarding = new Forwarding(publishedAudio, publishedVideo, loopAudio, loopVideo);
        transport = new EndpointTransport("loopback", port, certificate, scheduler, Clock.systemUTC(), this,
                EndpointTransport.DEFAULT_RECEIVE_QUEUE);
        answer = new AnswerBuilder(offer, transport.localTransport(), 4_242_424_242L)
                .receive(publishedAudio.mid(), "opus")
                .receive(publishedVideo.mid(), "VP8")
                .send(loopAudio.mid(), Forwarding.AUDIO, "opus")
                .send(loopVideo.mid(), Forwarding.VIDEO, "VP8")
                .build().toString();
        transport.start(offer.transport());
    }

    static OfferedMedia find(WebRtcOffer offer, String kind, Direction direction) throws SdpParseException {
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
    }

    @Override
    public void onRtp(PacketBuffer packet) {
        if (!forwarding.restamp(packet)) {
            return;
        }
        transport.sendRtp(packet);
        if (forwarding.video.get() > 0 && keyFrameRequested.compareAndSet(false, true)) {
            // The first key frame may have gone by before the receiving side could decode: ask for a fresh one.
            transport.sendRtcp(Forwarding.compound(List.of(forwarding.keyFrameRequest())));
        }
    }

    @Override
    public void onRtcp(PacketBuffer packet) {
        List<RtcpPacket> feedback = forwarding.feedbackFor(packet);
        if (!feedback.isEmpty()) {
            transport.sendRtcp(Forwarding.compound(feedback));
        }
    }

    @Override
    public void onClosed(CloseReason reason) {
    }

    @Override
    public void close() {
        transport.close();
    }
}
