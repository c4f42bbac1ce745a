package io.tribune.sfu.room;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.ice.IceUdpPort;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every endpoint of a node shares: the one UDP port, the DTLS certificate, the timer thread and the clock,
 * and the bounds of the queues at each pipeline's edges. Immutable; its parts are thread-safe.
 *
 * @param receiveQueue packets between the port's receive thread and an endpoint's receive pipeline
 * @param sendQueue packets between the publishers' receive pipelines and a subscriber's send pipeline
 * @param simulatedLossPercent for tests only: the share of outgoing video media packets to drop; 0 in production
 */
public record MediaContext(IceUdpPort port, DtlsCertificate certificate, ScheduledExecutorService scheduler,
                           Clock clock, int receiveQueue, int sendQueue, double simulatedLossPercent) {

    /** About half a second of three 720p publishers with audio. */
    public static final int DEFAULT_SEND_QUEUE = 1024;
}
