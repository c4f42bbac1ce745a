package io.tribune.sfu.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Sends each packet down the first branch whose predicate accepts it; a packet no branch accepts is dropped and
 * counted. Branches are added while building, before the first packet.
 */
public final class DemuxerNode extends Node {

    private record Branch(String name, Predicate<PacketInfo> predicate, Node node) {
    }

    private final List<Branch> branches = new ArrayList<>();

    public DemuxerNode(String name) {
        super(name);
    }

    /** Adds a branch; returns its first node so the branch's chain can be built on it. */
    public <N extends Node> N branch(String name, Predicate<PacketInfo> predicate, N node) {
        branches.add(new Branch(name, predicate, node));
        return node;
    }

    @Override
    PacketInfo handle(PacketInfo packet) {
        return packet;
    }

    @Override
    void forward(PacketInfo packet) {
        for (Branch branch : branches) {
            if (branch.predicate().test(packet)) {
                countOut();
                branch.node().process(packet);
                return;
            }
        }
        countDropped();
    }

    @Override
    public List<Node> successors() {
        return branches.stream().map(Branch::node).toList();
    }
}
