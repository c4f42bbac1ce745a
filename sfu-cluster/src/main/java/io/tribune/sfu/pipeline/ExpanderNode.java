package io.tribune.sfu.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * A node that turns one packet into zero or more (a retransmission request into the packets it asks for). The
 * input counts as dropped when nothing comes out; each output counts as out. Its time includes the nodes after
 * it, since it passes each output on before taking the next.
 */
public abstract class ExpanderNode extends ChainNode {

    protected ExpanderNode(String name) {
        super(name);
    }

    /** Adds the packets to pass on to {@code out}, in order. */
    protected abstract void expand(PacketInfo packet, List<PacketInfo> out);

    @Override
    final PacketInfo handle(PacketInfo packet) {
        List<PacketInfo> out = new ArrayList<>(4);
        expand(packet, out);
        if (out.isEmpty()) {
            countDropped();
            return null;
        }
        for (int i = 0; i < out.size() - 1; i++) {
            forward(out.get(i));
        }
        return out.get(out.size() - 1);
    }
}
