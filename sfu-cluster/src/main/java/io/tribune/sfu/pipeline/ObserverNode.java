package io.tribune.sfu.pipeline;

/** A node that looks at every packet (to learn or count something) and always passes it on. */
public abstract class ObserverNode extends ChainNode {

    protected ObserverNode(String name) {
        super(name);
    }

    protected abstract void observe(PacketInfo packet);

    @Override
    final PacketInfo handle(PacketInfo packet) {
        observe(packet);
        return packet;
    }
}
