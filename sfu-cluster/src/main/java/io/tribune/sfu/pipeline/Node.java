package io.tribune.sfu.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stage of a packet pipeline. Subclasses implement one of the base types' single methods
 * ({@link TransformerNode}, {@link FilterNode}, {@link ObserverNode}, {@link ConsumerNode}, {@link DemuxerNode});
 * this class counts packets in, out and dropped and the time spent, and hands packets to the next node.
 *
 * <p>Threading: one thread owns a pipeline and so each of its nodes; nodes are never shared between pipelines.
 * The counters are written only by that thread (release stores, no locked instructions) and may be read from
 * any thread by {@link #stats()}.
 */
public abstract class Node {

    private final String name;
    private final AtomicLong packetsIn = new AtomicLong();
    private final AtomicLong packetsOut = new AtomicLong();
    private final AtomicLong packetsDropped = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();

    protected Node(String name) {
        this.name = name;
    }

    public final String name() {
        return name;
    }

    /** Runs the packet through this node and whatever follows it. Call only on the pipeline's thread. */
    public final void process(PacketInfo packet) {
        increment(packetsIn);
        long start = System.nanoTime();
        PacketInfo next = handle(packet);
        nanos.lazySet(nanos.get() + System.nanoTime() - start);
        if (next == null) {
            return;
        }
        forward(next);
    }

    /**
     * This node's work. Returns the packet to pass on, or null when the node dropped or consumed it (and counted
     * that with {@link #countDropped()} or {@link #countOut()}).
     */
    abstract PacketInfo handle(PacketInfo packet);

    /** Passes a packet on; the default goes to the one next node, demuxers override. */
    abstract void forward(PacketInfo packet);

    /** The nodes this one passes packets to, for walking the pipeline. */
    public abstract List<Node> successors();

    final void countOut() {
        increment(packetsOut);
    }

    final void countDropped() {
        increment(packetsDropped);
    }

    private static void increment(AtomicLong counter) {
        // Single writer: a release store is enough and costs no more than a plain store on x86.
        counter.lazySet(counter.get() + 1);
    }

    public NodeStats stats() {
        return new NodeStats(name, packetsIn.get(), packetsOut.get(), packetsDropped.get(), nanos.get());
    }

    @Override
    public String toString() {
        return name;
    }
}
