package io.tribune.sfu.pipeline;

import java.util.List;

/**
 * The end of a path: the packet leaves the pipeline (sent, queued for another pipeline, handed to a listener).
 * A consumed packet counts as out; one the consumer could not take counts as dropped.
 */
public abstract class ConsumerNode extends Node {

    protected ConsumerNode(String name) {
        super(name);
    }

    /** Takes the packet; returns false when it could not (a full queue, a closed socket), which counts a drop. */
    protected abstract boolean consume(PacketInfo packet);

    @Override
    final PacketInfo handle(PacketInfo packet) {
        if (consume(packet)) {
            countOut();
        } else {
            countDropped();
        }
        return null;
    }

    @Override
    final void forward(PacketInfo packet) {
        throw new IllegalStateException("a consumer passes nothing on");
    }

    @Override
    public List<Node> successors() {
        return List.of();
    }
}
