package io.tribune.sfu.room;

import io.tribune.sfu.media.HeaderExtensionStripper;
import io.tribune.sfu.pipeline.ChainNode;
import io.tribune.sfu.pipeline.CombiningQueue;
import io.tribune.sfu.pipeline.DemuxerNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.Pipeline;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.EndpointTransport;
import java.time.Clock;
import java.util.List;

/**
 * One subscriber's send pipeline and the queue in front of it. Publishers' receive pipelines hand it packets (each
 * with its {@link DownTrack} as the route); it runs them through, in order:
 *
 * <pre>
 *   queue -> send-demux -media-----> simulcast-filter -> stream-rewriter -> vp8-picture-id-rewriter
 *                                    -> header-extension-stripper -> packet-cacher [-> loss-simulator, tests only]
 *                                    -> sender-reports -> transport-cc-tagger -> srtp-encrypt -> ice-send
 *                       -resend----> retransmission-responder (RTX from the cache) --^ (tagger)
 *                       -feedback--> bandwidth-feedback (transport-cc/REMB into the estimate; layers chosen again)
 * </pre>
 *
 * <p>Threading: there is no thread of its own. The queue is a {@link CombiningQueue}: whoever offers a packet runs
 * the pipeline while no other thread does, so it runs on one thread at a time, in queue order, and a forwarded
 * packet costs no thread hand-off (with one thread per subscriber, each packet woke that thread, and the wake-ups
 * cost more CPU than the forwarding: BENCHMARKS.md, bench sfu). {@link #offer} and {@link #close} are
 * thread-safe.
 */
final class SendLoop implements AutoCloseable {

    private final CombiningQueue queue;

    SendLoop(Participant subscriber, EndpointTransport transport, int capacity, double simulatedLossPercent) {
        this.queue = new CombiningQueue(buildPipeline(subscriber, transport, new DownlinkControl(subscriber),
                simulatedLossPercent), capacity);
    }

    private static Pipeline buildPipeline(Participant subscriber, EndpointTransport transport, DownlinkControl control,
                                          double simulatedLossPercent) {
        Clock clock = subscriber.clock();
        SendNodes.TransportCcTagger tagger = new SendNodes.TransportCcTagger(subscriber, control);
        tagger.then(transport.newSendTail());
        DemuxerNode demux = new DemuxerNode("send-demux");
        demux.branch("resend", SendNodes::isResendRequest, new SendNodes.RetransmissionResponder())
                .then(tagger);
        demux.branch("feedback", SendNodes::isFeedback, new SendNodes.BandwidthFeedback(control));
        ChainNode media = demux.branch("media", packet -> true, new SendNodes.SimulcastFilter(control, clock))
                .then(new StreamRewriter())
                .then(new SendNodes.Vp8PictureIdRewriter())
                .then(new HeaderExtensionStripper())
                .then(new SendNodes.PacketCacher());
        if (simulatedLossPercent > 0) {
            media = media.then(new SendNodes.LossSimulator(simulatedLossPercent));
        }
        media.then(new SendNodes.SenderReports(transport, subscriber, clock)).then(tagger);
        return new Pipeline("send-" + subscriber.id(), demux);
    }

    /** Queues the subscriber's transport-cc feedback or REMB for its estimator, which runs in the send pipeline. */
    boolean offerFeedback(RtcpPacket feedback) {
        PacketInfo request = new PacketInfo(new PacketBuffer(new byte[0], 0, 0), System.nanoTime());
        request.setRoute(new SendNodes.Feedback(feedback));
        return offer(request);
    }

    /** Queues a NACK's sequence numbers for the send pipeline, which owns the down track's cache. Never blocks. */
    boolean offerResend(DownTrack down, List<Integer> sequenceNumbers) {
        PacketInfo request = new PacketInfo(new PacketBuffer(new byte[0], 0, 0), System.nanoTime());
        request.setRoute(new SendNodes.ResendRequest(down, sequenceNumbers));
        return offer(request);
    }

    /**
     * Sends a packet to this subscriber (see {@link CombiningQueue#offer}); false (and counted) when the queue is
     * full or the loop is closed. Never waits for a lock.
     */
    boolean offer(PacketInfo packet) {
        return queue.offer(packet);
    }

    Pipeline pipeline() {
        return queue.pipeline();
    }

    long droppedQueueFull() {
        return queue.droppedQueueFull();
    }

    @Override
    public void close() {
        queue.close();
    }
}
