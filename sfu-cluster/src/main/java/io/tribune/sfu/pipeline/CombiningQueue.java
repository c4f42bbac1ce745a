package io.tribune.sfu.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bounded queue in front of a pipeline that has no thread of its own. Whoever offers a packet runs the pipeline
 * on its own thread while no other thread is running it: the packet goes into the queue, and the thread that
 * takes the lock drains the queue in order before it lets go, then looks again, so a packet queued while another
 * thread held the lock is run by that thread and never stranded. The pipeline thus runs on one thread at a time,
 * in queue order, without a thread hand-off (which cost more CPU than forwarding: BENCHMARKS.md, bench sfu). With
 * a {@link SendBatch} open on the offering thread, the draining waits for the batch's flush.
 *
 * <p>Thread-safe.
 */
public final class CombiningQueue implements SendBatch.Drain {

    private static final Logger LOGGER = Logger.getLogger(CombiningQueue.class.getName());

    private final Pipeline pipeline;
    private final BlockingQueue<PacketInfo> queue;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicLong full = new AtomicLong();
    private volatile boolean closed;

    public CombiningQueue(Pipeline pipeline, int capacity) {
        this.pipeline = pipeline;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Queues a packet and runs the pipeline on this thread unless another one is running it now (then that one
     * runs the packet), or at the end of this thread's {@link SendBatch} if one is open. False (and counted)
     * when the queue is full; false when closed. Never waits for a lock.
     */
    public boolean offer(PacketInfo packet) {
        if (closed) {
            return false;
        }
        boolean queued = queue.offer(packet);
        if (!queued) {
            full.incrementAndGet();
        }
        if (!SendBatch.defer(this)) {
            drain();
        }
        return queued;
    }

    /** Runs queued packets while this thread can take the lock. */
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
                        LOGGER.log(Level.WARNING, pipeline.name() + ": packet handling failed", e);
                    }
                }
            } finally {
                running.unlock();
            }
        }
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Packets refused because the queue was full. */
    public long droppedQueueFull() {
        return full.get();
    }

    /** Drops what is queued; later offers are refused. */
    public void close() {
        closed = true;
        queue.clear();
    }
}
