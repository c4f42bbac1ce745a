package io.tribune.sfu.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named tree of nodes, entered at its root. {@link #process} must be called by the one thread that owns the
 * pipeline; {@link #stats()} may be called from any thread.
 */
public final class Pipeline {

    private final String name;
    private final Node root;

    public Pipeline(String name, Node root) {
        this.name = name;
        this.root = root;
    }

    public String name() {
        return name;
    }

    public void process(PacketInfo packet) {
        root.process(packet);
    }

    /** Every node, depth first from the root, each once. */
    public List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            if (seen.put(node, Boolean.TRUE) != null) {
                continue;
            }
            out.add(node);
            List<Node> next = node.successors();
            for (int i = next.size() - 1; i >= 0; i--) {
                todo.push(next.get(i));
            }
        }
        return out;
    }

    /** The counters of every node, in {@link #nodes()} order. */
    public List<NodeStats> stats() {
        return nodes().stream().map(Node::stats).toList();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name).append(':');
        for (NodeStats stats : stats()) {
            out.append("\n  ").append(stats);
        }
        return out.toString();
    }
}
