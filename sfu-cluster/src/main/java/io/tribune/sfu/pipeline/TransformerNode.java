package io.tribune.sfu.pipeline;

/** A node that changes a packet, or drops it by returning null. */
public abstract class TransformerNode extends ChainNode {

    protected TransformerNode(String name) {
        super(name);
    }

    /** Returns the packet to pass on (usually the same one), or null to drop it. */
    protected abstract PacketInfo transform(PacketInfo packet);

    @Override
    final PacketInfo handle(PacketInfo packet) {
        PacketInfo out = transform(packet);
        if (out == null) {
            countDropped();
        }
        return out;
    }
}
