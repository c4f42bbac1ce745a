package io.tribune.sfu.browser;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.sdp.AnswerBuilder;
import io.tribune.sfu.sdp.Direction;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The beginning of a room, for the browser test: a publishing peer connection and a subscribing one, two
 * endpoints on the node's one UDP port, with {@link Forwarding} from the first to the second and the second's
 * feedback back to the first.
 */
final class RoomOfTwo implements AutoCloseable {

    final AtomicLong droppedBeforeSubscriber = new AtomicLong();
    private final IceUdpPort port;
    private final DtlsCertificate certificate;
    private final ScheduledExecutorService scheduler;
    private volatile WebRtcOffer publisherOffer;
    private volatile EndpointTransport publisher;
    private volatile EndpointTransport subscriber;
    private volatile Forwarding forwarding;
    private volatile boolean subscriberConnected;

    RoomOfTwo(IceUdpPort port, DtlsCertificate certificate, ScheduledExecutorService scheduler) {
        this.port = port;
        this.certificate = certificate;
        this.scheduler = scheduler;
    }

    /** Accepts the publisher's sendonly offer; returns the answer. */
    String publish(String offerSdp) throws IOException, SdpParseException {
        WebRtcOffer offer = WebRtcOffer.parse(offerSdp);
        publisherOffer = offer;
        publisher = new EndpointTransport("publisher", port, certificate, scheduler, Clock.systemUTC(),
                new PublisherEvents(), EndpointTransport.DEFAULT_RECEIVE_QUEUE);
        String answer = new AnswerBuilder(offer, publisher.localTransport(), 1)
                .receive(LoopbackEndpoint.find(offer, "audio", Direction.SENDONLY).mid(), "opus")
                .receive(LoopbackEndpoint.find(offer, "video", Direction.SENDONLY).mid(), "VP8")
                .build().toString();
        publisher.start(offer.transport());
        return answer;
    }

    /** Accepts the subscriber's recvonly offer, after {@link #publish}; returns the answer. */
    String subscribe(String offerSdp) throws IOException, SdpParseException {
        WebRtcOffer offer = WebRtcOffer.parse(offerSdp);
        WebRtcOffer published = publisherOffer;
        forwarding = new Forwarding(LoopbackEndpoint.find(published, "audio", Direction.SENDONLY),
                LoopbackEndpoint.find(published, "video", Direction.SENDONLY),
                LoopbackEndpoint.find(offer, "audio", Direction.RECVONLY),
                LoopbackEndpoint.find(offer, "video", Direction.RECVONLY));
        subscriber = new EndpointTransport("subscriber", port, certificate, scheduler, Clock.systemUTC(),
                new SubscriberEvents(), EndpointTransport.DEFAULT_RECEIVE_QUEUE);
        String answer = new AnswerBuilder(offer, subscriber.localTransport(), 2)
                .send(LoopbackEndpoint.find(offer, "audio", Direction.RECVONLY).mid(), Forwarding.AUDIO, "opus")
                .send(LoopbackEndpoint.find(offer, "video", Direction.RECVONLY).mid(), Forwarding.VIDEO, "VP8")
                .build().toString();
        subscriber.start(offer.transport());
        return answer;
    }

    EndpointTransport publisher() {
        return publisher;
    }

    EndpointTransport subscriber() {
        return subscriber;
    }

    Forwarding forwarding() {
        return forwarding;
    }

    /** Publisher media: forwarded once the subscriber can decrypt it, dropped (and counted) before. */
    private final class PublisherEvents implements MediaListener {
        @Override
        public void onConnected(EndpointTransport transport) {
        }

        @Override
        public void onRtp(PacketBuffer packet) {
            Forwarding route = forwarding;
            if (route == null || !subscriberConnected) {
                droppedBeforeSubscriber.incrementAndGet();
                return;
            }
            if (route.restamp(packet)) {
                subscriber.sendRtp(packet);
            }
        }

        @Override
        public void onRtcp(PacketBuffer packet) {
            // The publisher's reports are about its own streams; a room would use them for sync and BWE.
        }

        @Override
        public void onClosed(CloseReason reason) {
        }
    }

    /** Subscriber feedback goes to the publisher; a new subscriber asks for a key frame. */
    private final class SubscriberEvents implements MediaListener {
        @Override
        public void onConnected(EndpointTransport transport) {
            subscriberConnected = true;
            publisher.sendRtcp(Forwarding.compound(List.of(forwarding.keyFrameRequest())));
        }

        @Override
        public void onRtp(PacketBuffer packet) {
            // A recvonly subscriber sends no media.
        }

        @Override
        public void onRtcp(PacketBuffer packet) {
            List<RtcpPacket> feedback = forwarding.feedbackFor(packet);
            if (!feedback.isEmpty()) {
                publisher.sendRtcp(Forwarding.compound(feedback));
            }
        }

        @Override
        public void onClosed(CloseReason reason) {
        }
    }

    @Override
    public void close() {
        if (subscriber != null) {
            subscriber.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
