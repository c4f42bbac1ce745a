package io.tribune.sfu.pipeline;

/** A node that passes a packet on unchanged or drops it. */
public abstract class FilterNode extends ChainNode {

    protected FilterNode(String name) {
        super(name);
    }

    /** Whether the packet goes on. */
    protected abstract boolean accept(PacketInfo packet);

    @Override
    final PacketInfo handle(PacketInfo packet) {
        if (accept(packet)) {
            return packet;
        }
        countDropped();
        return null;
    }
}
