package io.tribune.sfu.pipeline;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets a receive pipeline's thread hold back its sends until it has nothing more to receive. While a batch is
 * open on a thread, the send queues it fills {@linkplain #defer defer} their draining to the batch, and the
 * thread {@linkplain #flush flushes} the batch when its receive queue is empty. A video frame arrives as a burst
 * of packets; flushed together, each subscriber gets the burst back to back, and its socket wakes its reader once
 * per burst instead of once per packet: on loopback, a {@code sendto} that wakes a sleeping reader cost 14 us and
 * one into a reader that is still awake 6 us ({@code ops/tribune bench sfu}, BENCHMARKS.md). A lone packet is sent
 * at once, as before: the queue is empty after it. Not thread-safe: a batch belongs to the thread that opened it.
 */
public final class SendBatch {

    private static final Logger LOGGER = Logger.getLogger(SendBatch.class.getName());
    private static final ThreadLocal<SendBatch> OPEN = new ThreadLocal<>();

    /** A send queue that can drain later. */
    public interface Drain {
        void drain();
    }

    private final Set<Drain> pending = Collections.newSetFromMap(new IdentityHashMap<>());

    private SendBatch() {
    }

    /** Opens this thread's batch (one per thread, kept until {@link #close}). */
    public static SendBatch open() {
        SendBatch batch = new SendBatch();
        OPEN.set(batch);
        return batch;
    }

    /**
     * Defers {@code drain} to this thread's open batch: true if one is open (the batch drains it at its next
     * flush), false if the caller must drain now.
     */
    public static boolean defer(Drain drain) {
        SendBatch batch = OPEN.get();
        if (batch == null) {
            return false;
        }
        batch.pending.add(drain);
        return true;
    }

    /** Drains every deferred queue, each once. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Drain[] drains = pending.toArray(new Drain[0]);
        pending.clear();
        for (Drain drain : drains) {
            try {
                drain.drain();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "a deferred send failed", e);
            }
        }
    }

    /** Flushes, then ends this thread's batch. */
    public void close() {
        flush();
        OPEN.remove();
    }
}
