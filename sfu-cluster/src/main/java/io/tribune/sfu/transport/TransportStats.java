package io.tribune.sfu.transport;

import java.util.Map;

/**
 * A snapshot of {@link TransportCounters}: datagrams and bytes on the wire both ways (DTLS included), decrypted
 * packets delivered, and drops by reason.
 */
public record TransportStats(long packetsIn, long bytesIn, long packetsOut, long bytesOut, long rtpDelivered,
                             long rtcpDelivered, Map<DropReason, Long> drops) {

    public TransportStats {
        drops = Map.copyOf(drops);
    }

    public long dropped(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }
}
