package io.tribune.sfu.room;

import java.util.concurrent.atomic.LongAdder;

/**
 * Feedback counts of one room, for metrics: NACKs and key frame requests (PLI, FIR) the subscribers sent, and
 * those the node sent on to the publishers. Thread-safe: incremented from every participant's pipeline threads.
 */
final class RoomCounters {

    final LongAdder nacksReceived = new LongAdder();
    final LongAdder nacksSent = new LongAdder();
    final LongAdder keyFrameRequestsReceived = new LongAdder();
    final LongAdder plisSent = new LongAdder();
}
