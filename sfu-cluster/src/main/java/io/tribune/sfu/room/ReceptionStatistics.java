package io.tribune.sfu.room;

import io.tribune.sfu.rtp.ReportBlock;

/**
 * What RFC 3550 §6.4.1 and Appendix A.3/A.8 ask a receiver to keep per source, for the receiver reports the SFU
 * sends a publisher: extended highest sequence number, packets expected and received (loss, also since the last
 * report), interarrival jitter, and the last sender report (LSR) with when it arrived (for DLSR).
 *
 * <p>Not thread-safe: the publisher's receive thread owns it; {@link #lossFraction()} and {@link #jitterMillis()}
 * are published through volatile fields for metrics.
 */
final class ReceptionStatistics {

    private boolean started;
    private int baseSequence;
    private long cycles;
    private int maxSequence;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lastTransit;
    private boolean haveTransit;
    private double jitter;
    private long lastSenderReport;
    private long lastSenderReportNanos;
    private volatile double lossFraction;
    private volatile double jitterMillis;

    /** A media packet arrived ({@code arrivalUnits}: the arrival time in the stream's clock rate). */
    void received(int sequence, long rtpTimestamp, long arrivalUnits) {
        if (!started) {
            started = true;
            baseSequence = sequence;
            maxSequence = sequence;
        } else {
            int delta = (sequence - maxSequence) & 0xffff;
            if (delta > 0 && delta < 0x8000) {
                if (sequence < maxSequence) {
                    cycles += 0x10000;
                }
                maxSequence = sequence;
            }
        }
        received++;
        // RFC 3550 A.8: J += (|D| - J) / 16 with D the change in transit time.
        long transit = arrivalUnits - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < 1L << 31) {
                jitter += (d - jitter) / 16.0;
            }
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** A sender report for this source arrived: keep the middle 32 bits of its NTP time (LSR). */
    void senderReport(long ntpTimestamp, long nowNanos) {
        lastSenderReport = (ntpTimestamp >>> 16) & 0xffffffffL;
        lastSenderReportNanos = nowNanos;
    }

    /** The report block for the next receiver report (RFC 3550 A.3), or null before the first packet. */
    ReportBlock report(long ssrc, int clockRate, long nowNanos) {
        if (!started) {
            return null;
        }
        long extendedMax = cycles + maxSequence;
        long expected = extendedMax - baseSequence + 1;
        long lost = Math.max(-(1L << 23), Math.min(expected - received, (1L << 23) - 1));
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        lossFraction = fraction / 256.0;
        jitterMillis = jitter * 1000.0 / clockRate;
        long delay = lastSenderReport == 0 ? 0 : (nowNanos - lastSenderReportNanos) * 65_536 / 1_000_000_000L;
        return new ReportBlock((int) ssrc, Math.min(fraction, 255), (int) lost, extendedMax & 0xffffffffL,
                (long) jitter & 0xffffffffL, lastSenderReport, delay & 0xffffffffL);
    }

    double lossFraction() {
        return lossFraction;
    }

    double jitterMillis() {
        return jitterMillis;
    }
}
