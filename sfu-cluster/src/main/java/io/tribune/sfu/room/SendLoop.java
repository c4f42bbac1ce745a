package io.tribune.sfu.room;

import io.tribune.sfu.media.HeaderExtensionStripper;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.Pipeline;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.EndpointTransport;
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
 *   queue -> stream-rewriter -> header-extension-stripper -> srtp-encrypt -> ice-send
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

    SendLoop(String id, EndpointTransport transport, int capacity) {
        this.id = id;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.pipeline = buildPipeline(id, transport);
        this.thread = new Thread(this::run, "send-" + id);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static Pipeline buildPipeline(String id, EndpointTransport transport) {
        StreamRewriter rewriter = new StreamRewriter();
        rewriter.then(new HeaderExtensionStripper())
                .then(transport.newSendTail());
        return new Pipeline("send-" + id, rewriter);
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
