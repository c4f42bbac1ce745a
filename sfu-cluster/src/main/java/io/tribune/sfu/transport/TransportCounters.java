package io.tribune.sfu.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet and byte counts of one endpoint transport. Written from the network, pipeline and send threads; read from
 * anywhere. {@link LongAdder} keeps the writers from contending.
 */
public final class TransportCounters {

    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder rtpDelivered = new LongAdder();
    private final LongAdder rtcpDelivered = new LongAdder();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    TransportCounters() {
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, new LongAdder());
        }
    }

    void received(int bytes) {
        packetsIn.increment();
        bytesIn.add(bytes);
    }

    void sent(int bytes) {
        packetsOut.increment();
        bytesOut.add(bytes);
    }

    void deliveredRtp() {
        rtpDelivered.increment();
    }

    void deliveredRtcp() {
        rtcpDelivered.increment();
    }

    void dropped(DropReason reason) {
        drops.get(reason).increment();
    }

    /** A consistent-enough copy for metrics and tests (each counter is read once). */
    public TransportStats snapshot() {
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        drops.forEach((reason, count) -> dropped.put(reason, count.sum()));
        return new TransportStats(packetsIn.sum(), bytesIn.sum(), packetsOut.sum(), bytesOut.sum(),
                rtpDelivered.sum(), rtcpDelivered.sum(), dropped);
    }
}
