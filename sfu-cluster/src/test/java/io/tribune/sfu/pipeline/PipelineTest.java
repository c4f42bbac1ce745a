package io.tribune.sfu.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.srtp.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static PacketInfo packet(int firstByte) {
        return new PacketInfo(PacketBuffer.copyOf(new byte[] {(byte) firstByte, 1, 2, 3}, 0, 4), System.nanoTime());
    }

    /** Keeps what it consumes. */
    private static final class Sink extends ConsumerNode {
        final List<PacketInfo> packets = new ArrayList<>();

        Sink(String name) {
            super(name);
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            packets.add(packet);
            return true;
        }
    }

    @Test
    void countsPacketsInOutAndDroppedPerNode() {
        FilterNode evenOnly = new FilterNode("even-only") {
            @Override
            protected boolean accept(PacketInfo packet) {
                return packet.buffer().getBuffer()[0] % 2 == 0;
            }
        };
        TransformerNode dropsFour = new TransformerNode("drops-four") {
            @Override
            protected PacketInfo transform(PacketInfo packet) {
                return packet.buffer().getBuffer()[0] == 4 ? null : packet;
            }
        };
        List<Integer> seen = new ArrayList<>();
        ObserverNode observer = new ObserverNode("observer") {
            @Override
            protected void observe(PacketInfo packet) {
                seen.add((int) packet.buffer().getBuffer()[0]);
            }
        };
        Sink sink = new Sink("sink");
        evenOnly.then(dropsFour).then(observer).then(sink);
        Pipeline pipeline = new Pipeline("test", evenOnly);

        for (int i = 0; i < 7; i++) {
            pipeline.process(packet(i));
        }

        assertThat(seen).containsExactly(0, 2, 6);
        assertThat(sink.packets).hasSize(3);
        assertThat(pipeline.stats()).extracting(NodeStats::name)
                .containsExactly("even-only", "drops-four", "observer", "sink");
        NodeStats filter = evenOnly.stats();
        assertThat(filter.packetsIn()).isEqualTo(7);
        assertThat(filter.packetsOut()).isEqualTo(4);
        assertThat(filter.packetsDropped()).isEqualTo(3);
        assertThat(dropsFour.stats().packetsDropped()).isEqualTo(1);
        assertThat(sink.stats().packetsOut()).isEqualTo(3);
        assertThat(filter.nanos()).isPositive();
    }

    @Test
    void demuxerSendsEachPacketDownTheFirstMatchingBranchAndDropsTheRest() {
        DemuxerNode demux = new DemuxerNode("demux");
        Sink low = demux.branch("low", p -> p.buffer().getBuffer()[0] < 10, new Sink("low"));
        Sink mid = demux.branch("mid", p -> p.buffer().getBuffer()[0] < 20, new Sink("mid"));
        Pipeline pipeline = new Pipeline("demux-test", demux);

        pipeline.process(packet(5));
        pipeline.process(packet(15));
        pipeline.process(packet(25));

        assertThat(low.packets).hasSize(1);
        assertThat(mid.packets).hasSize(1);
        assertThat(demux.stats().packetsDropped()).isEqualTo(1);
        assertThat(demux.stats().packetsOut()).isEqualTo(2);
        assertThat(pipeline.nodes()).extracting(Node::name).containsExactly("demux", "low", "mid");
    }

    @Test
    void chainWithoutAnEndCountsPassedPacketsAsDropped() {
        ObserverNode dangling = new ObserverNode("dangling") {
            @Override
            protected void observe(PacketInfo packet) {
            }
        };
        dangling.process(packet(1));
        assertThat(dangling.stats().packetsDropped()).isEqualTo(1);
    }

    @Test
    void copyOwnsItsBytes() {
        PacketInfo original = packet(1);
        original.setRtpHeader(7, 96, 100, 9000);
        PacketInfo copy = original.copy();
        copy.buffer().getBuffer()[copy.buffer().getOffset()] = 9;
        assertThat(original.buffer().getBuffer()[original.buffer().getOffset()]).isEqualTo((byte) 1);
        assertThat(copy.ssrc()).isEqualTo(7);
        assertThat(copy.sequenceNumber()).isEqualTo(100);
    }
}
