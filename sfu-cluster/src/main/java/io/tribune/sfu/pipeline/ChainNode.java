package io.tribune.sfu.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * A node with at most one successor: the base of transformers, filters and observers. A packet passed on with no
 * successor set is counted as dropped, so a pipeline that is missing its end shows up in the counters.
 */
public abstract class ChainNode extends Node {

    private Node next;

    protected ChainNode(String name) {
        super(name);
    }

    /** Sets the node packets go to after this one; returns it, so chains read in order. */
    public final <N extends Node> N then(N node) {
        this.next = Objects.requireNonNull(node);
        return node;
    }

    @Override
    final void forward(PacketInfo packet) {
        Node target = next;
        if (target == null) {
            countDropped();
            return;
        }
        countOut();
        target.process(packet);
    }

    @Override
    public List<Node> successors() {
        return next == null ? List.of() : List.of(next);
    }
}
