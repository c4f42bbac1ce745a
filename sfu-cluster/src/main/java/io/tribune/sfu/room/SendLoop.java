package io.tribune.sfu.room;

import io.tribune.sfu.media.HeaderExtensionStripper;
import io.tribune.sfu.pipeline.ChainNode;
import io.tribune.sfu.pipeline.DemuxerNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.Pipeline;
import io.tribune.sfu.pipeline.SendBatch;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.EndpointTransport;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

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
 * <p>Threading: there is no thread of its own. Whoever offers a packet runs the pipeline on its own thread while
 * no other thread is running it (a combining queue): the packet goes into the bounded queue, and the thread that
 * takes the pipeline's lock drains the queue in order before it lets go, then looks again. A packet offered while
 * another thread holds the lock is sent by that thread. So the pipeline runs on one thread at a time, in queue
 * order, and a forwarded packet costs no thread hand-off: with one thread per subscriber, each packet woke that
 * thread, and the wake-ups and context switches cost more CPU than the forwarding itself (measured with
 * {@code ops/tribune bench sfu}, see BENCHMARKS.md). {@link #offer} and {@link #close} are thread-safe.
 */
final class SendLoop implements AutoCloseable, SendBatch.Drain {

    private static final Logger LOGGER = Logger.getLogger(SendLoop.class.getName());

    private final String id;
    private final BlockingQueue<PacketInfo> queue;
    private final ReentrantLock running = new ReentrantLock();
    private final Pipeline pipeline;
    private final AtomicLong queueFull = new AtomicLong();
    private final DownlinkControl control;
    private volatile boolean closed;

    SendLoop(Participant subscriber, EndpointTransport transport, int capacity, double simulatedLossPercent) {
        this.id = subscriber.id();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.control = new DownlinkControl(subscriber);
        this.pipeline = buildPipeline(subscriber, transport, control, simulatedLossPercent);
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
     * Sends a packet to this subscriber, on this thread unless another one is sending to the subscriber now (then
     * that one sends it), or at the end of this thread's {@link SendBatch} if one is open. False (and counted)
     * when the queue is full or the loop is closed. Never waits for a lock.
     */
    boolean offer(PacketInfo packet) {
        if (closed) {
            return false;
        }
        boolean queued = queue.offer(packet);
        if (!queued) {
            queueFull.incrementAndGet();
        }
        if (!SendBatch.defer(this)) {
            drain();
        }
        return queued;
    }

    /**
     * Runs queued packets while this thread can take the lock. Whoever held it looks at the queue again after
     * letting go, so a packet queued while the lock was held is never stranded.
     */
    @Override
    public void drain() {
        while (!queue.isEmpty() && running.tryLock()) {
            try {
                PacketInfo packet;
                while ((packet = queue.poll()) != null) {
                    if (closed) {
                        queue.clear();
                        return;
                    }
                    try {
                        pipeline.process(packet);
                    } catch (RuntimeException e) {
                        LOGGER.log(Level.WARNING, "send " + id + ": packet handling failed", e);
                    }
                }
            } finally {
                running.unlock();
            }
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
        closed = true;
        queue.clear();
    }
}
