package io.tribune.sfu.bwe;

import io.tribune.sfu.rtp.TransportCcFeedback;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receiving side of transport-cc: records when each packet with a transport-wide sequence number arrived
 * from a publisher and, every {@link #INTERVAL_NANOS}, turns what arrived since the last feedback into a
 * {@link TransportCcFeedback} (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) for the publisher's
 * browser, whose congestion controller then raises its send rate (and so turns on its upper simulcast layers).
 *
 * <p>Not thread-safe: the publisher's receive thread owns it.
 */
public final class TransportCcRecorder {

    public static final long INTERVAL_NANOS = 100_000_000L;
    /** Packets more than this far behind the newest are forgotten rather than reported. */
    private static final int MAX_SPAN = 2000;

    private final long epochNanos;
    private final TreeMap<Long, Long> arrivals = new TreeMap<>();
    private long highest = -1;
    private long nextToReport = -1;
    private long lastFeedbackNanos;
    private int feedbackCount;

    /** @param epochNanos the time reference times count from ({@link System#nanoTime()} at creation) */
    public TransportCcRecorder(long epochNanos) {
        this.epochNanos = epochNanos;
        this.lastFeedbackNanos = epochNanos;
    }

    /** A packet with this 16-bit transport-wide sequence number arrived now. */
    public void record(int sequence, long arrivalNanos) {
        long unwrapped = unwrap(sequence);
        if (nextToReport >= 0 && unwrapped < nextToReport) {
            return; // already reported as lost or received
        }
        if (nextToReport < 0) {
            nextToReport = unwrapped;
        }
        arrivals.putIfAbsent(unwrapped, arrivalNanos);
        highest = Math.max(highest, unwrapped);
        while (highest - nextToReport > MAX_SPAN) {
            arrivals.remove(nextToReport);
            nextToReport++;
        }
    }

    private long unwrap(int sequence) {
        if (highest < 0) {
            return sequence;
        }
        long candidate = (highest & ~0xffffL) | sequence;
        if (candidate - highest > 0x8000) {
            candidate -= 0x10000;
        } else if (highest - candidate > 0x8000) {
            candidate += 0x10000;
        }
        return candidate;
    }

    /** Whether a feedback is due (an interval has passed and something arrived). */
    public boolean due(long nowNanos) {
        return !arrivals.isEmpty() && nowNanos - lastFeedbackNanos >= INTERVAL_NANOS;
    }

    /**
     * The feedback for everything since the last one, or null when nothing arrived. Lost packets (gaps) are
     * reported as not received.
     */
    public TransportCcFeedback build(int senderSsrc, int mediaSsrc, long nowNanos) {
        lastFeedbackNanos = nowNanos;
        if (arrivals.isEmpty()) {
            return null;
        }
        long base = nextToReport;
        long last = arrivals.lastKey();
        int count = (int) (last - base + 1);
        byte[] statuses = new byte[count];
        int[] deltas = new int[arrivals.size()];
        long firstArrivalMicros = arrivals.firstEntry().getValue() - epochNanos;
        firstArrivalMicros /= 1000;
        int reference = (int) ((firstArrivalMicros / 64_000) & 0x7fffff);
        long previousMicros = (firstArrivalMicros / 64_000) * 64_000;
        int received = 0;
        for (Map.Entry<Long, Long> entry : arrivals.entrySet()) {
            long micros = (entry.getValue() - epochNanos) / 1000;
            long ticks = Math.round((micros - previousMicros) / 250.0);
            ticks = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, ticks));
            previousMicros += ticks * 250;
            int index = (int) (entry.getKey() - base);
            statuses[index] = ticks >= 0 && ticks <= 255 ? TransportCcFeedback.SMALL_DELTA
                    : TransportCcFeedback.LARGE_DELTA;
            deltas[received++] = (int) ticks;
        }
        arrivals.clear();
        nextToReport = last + 1;
        TransportCcFeedback feedback = new TransportCcFeedback(senderSsrc, mediaSsrc, (int) (base & 0xffff),
                reference, feedbackCount, statuses, deltas);
        feedbackCount = (feedbackCount + 1) & 0xff;
        return feedback;
    }
}
