package io.tribune.sfu.transport;

import io.tribune.sfu.ice.IceUdpPort;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides, for each datagram on a port's receive thread, where the endpoint's receive pipeline runs: right there
 * on the port's thread while the node is lightly loaded, or on the endpoint's own thread once the receive
 * pipelines together keep more than half a core busy.
 *
 * <p>Why both: handing each datagram to the endpoint's thread costs a wake-up (a futex call, a context switch
 * and, on a virtual machine, an inter-processor interrupt) and waits for the scheduler: at 10,000 forwarded
 * packets/s {@code bench sfu} measured p99 forwarding latency 2.1-3.9 ms that way against 0.33-0.39 ms on the port
 * thread, for the same CPU per packet. But the port has one thread, so running every pipeline on it caps the node
 * at one core; past half a core of work the endpoints' threads take over and the node uses every core (and at
 * that rate packets queue up between wake-ups, which makes the hand-off cheap). The switch has hysteresis and is
 * judged on the last 100 ms. On a one-core machine the port thread always runs the pipelines.
 *
 * <p>Thread-safety: {@link #inline} is called on the port's receive thread(s); {@link #recordBusy} on any thread.
 */
final class ReceiveDispatch {

    private static final Map<IceUdpPort, ReceiveDispatch> BY_PORT = Collections.synchronizedMap(new WeakHashMap<>());
    private static final long WINDOW_NANOS = 100_000_000L;
    /** Share of one core, over a window, above which pipelines move to the endpoints' threads. */
    static final double HAND_OFF_ABOVE = 0.5;
    /** Share of one core below which they come back to the port's thread. */
    static final double INLINE_BELOW = 0.3;

    private final boolean oneCore;
    private final LongAdder busyNanos = new LongAdder();
    private volatile long windowStart = System.nanoTime();
    private volatile boolean inline = true;

    ReceiveDispatch(boolean oneCore) {
        this.oneCore = oneCore;
    }

    /** The dispatch shared by every endpoint of the port. */
    static ReceiveDispatch of(IceUdpPort port) {
        return BY_PORT.computeIfAbsent(port, p -> new ReceiveDispatch(Runtime.getRuntime().availableProcessors() < 2));
    }

    /** Whether the pipeline should run on the calling (port) thread now. */
    boolean inline(long nowNanos) {
        if (nowNanos - windowStart >= WINDOW_NANOS) {
            synchronized (this) {
                long elapsed = nowNanos - windowStart;
                if (elapsed >= WINDOW_NANOS) {
                    double load = busyNanos.sumThenReset() / (double) elapsed;
                    inline = oneCore || (inline ? load < HAND_OFF_ABOVE : load < INLINE_BELOW);
                    windowStart = nowNanos;
                }
            }
        }
        return inline;
    }

    /** Time some thread spent running a receive pipeline. */
    void recordBusy(long nanos) {
        busyNanos.add(nanos);
    }
}
