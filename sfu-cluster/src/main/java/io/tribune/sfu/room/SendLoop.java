package io.tribune.sfu.room;

import io.tribune.sfu.media.HeaderExtensionStripper;
import io.tribune.sfu.pipeline.ChainNode;
import io.tribune.sfu.pipeline.DemuxerNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.Pipeline;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.EndpointTransport;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One subscriber's send pipeline and the thread that owns it. Publishers' receive pipelines put packets (each
 * with its {@link DownTrack} as the route) into a bounded queue; the thread runs them through, in order:
 *
 * <pre>
 *   queue -> send-demux -media-----> simulcast-filter -> stream-rewriter -> vp8-picture-id-rewriter
 *                                    -> header-extension-stripper -> packet-cacher [-> loss-simulator, tests only]
 *                                    -> sender-reports -> transport-cc-tagger -> srtp-encrypt -> ice-send
 *                       -resend----> retransmission-responder (RTX from the cache) --^ (tagger)
 *                       -feedback--> bandwidth-feedback (transport-cc/REMB into the estimate; layers chosen again)
 * </pre>
 *
 * <p>Thread-safety: {@link #offer} and {@link #close} are thread-safe; the pipeline runs on the loop's thread.
 */
final class SendLoop implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(SendLoop.class.getName());
    private static final PacketInfo POISON = new PacketInfo(new PacketBuffer(new byte[0], 0, 0), 0);

    private final String id;
    private final BlockingQueue<PacketInfo> queue;
    private final Pipeline pipeline;
    private final Thread thread;
    private final AtomicLong queueFull = new AtomicLong();
    private final DownlinkControl control;

    SendLoop(Participant subscriber, EndpointTransport transport, int capacity, double simulatedLossPercent) {
        this.id = subscriber.id();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.control = new DownlinkControl(subscriber);
        this.pipeline = buildPipeline(subscriber, transport, control, simulatedLossPercent);
        this.thread = new Thread(this::run, "send-" + id);
        this.thread.setDaemon(true);
        this.thread.start();
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

    /** Queues the subscriber's transport-cc feedback or REMB for the thread that owns its estimator. */
    boolean offerFeedback(RtcpPacket feedback) {
        PacketInfo request = new PacketInfo(new PacketBuffer(new byte[0], 0, 0), System.nanoTime());
        request.setRoute(new SendNodes.Feedback(feedback));
        return offer(request);
    }

    /** Queues a NACK's sequence numbers for the thread that owns the down track's cache. Never blocks. */
    boolean offerResend(DownTrack down, List<Integer> sequenceNumbers) {
        PacketInfo request = new PacketInfo(new PacketBuffer(new byte[0], 0, 0), System.nanoTime());
        request.setRoute(new SendNodes.ResendRequest(down, sequenceNumbers));
        return offer(request);
    }

    /** Queues a packet for this subscriber; false (and counted) when the queue is full. Never blocks. */
    boolean offer(PacketInfo packet) {
        if (queue.offer(packet)) {
            return true;
        }
        queueFull.incrementAndGet();
        return false;
    }

    private void run() {
        try {
            while (true) {
                PacketInfo packet = queue.take();
                if (packet == POISON) {
                    return;
                }
                try {
                    pipeline.process(packet);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "send " + id + ": packet handling failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Pipeline pipeline() {
        return pipeline;
    }

    long droppedQueueFull() {
        return queueFull.get();
    }

    @Override
    public void close() {
        queue.clear();
        if (!queue.offer(POISON)) {
            thread.interrupt();
        }
    }
}
