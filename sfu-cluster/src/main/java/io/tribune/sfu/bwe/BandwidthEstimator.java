package io.tribune.sfu.bwe;

import io.tribune.sfu.rtp.TransportCcFeedback;
import java.util.ArrayDeque;

/**
 * A send-side estimate of one subscriber's downlink, from its transport-cc feedback (the approach of Google
 * Congestion Control, draft-ietf-rmcat-gcc-02), and capped by REMB when the browser sends one.
 *
 * <ul>
 *   <li><b>Delay:</b> packets are grouped by send time into 5 ms bursts; each group's one-way delay variation
 *       (arrival spacing minus send spacing) is accumulated and smoothed, and the slope of a least-squares line
 *       through the last 20 values (the trendline filter, §5.3 in spirit) is compared with an adaptive threshold
 *       (§5.4). Above it the path is overusing: the estimate drops to 85% of the bitrate that arrived.</li>
 *   <li><b>Loss:</b> the share of packets reported lost (§6), measured over 100 packets or a second: over 10%
 *       cuts the estimate by half the loss, under 2% lets it grow.</li>
 *   <li><b>Growth:</b> while neither detector objects the estimate grows 8% per second, but never beyond 1.5 times
 *       what arrived plus 500 kbps: the SFU does not probe, so an estimate far above any rate ever sent would be
 *       a guess.</li>
 * </ul>
 *
 * <p>Not thread-safe: the subscriber's send thread owns it (sent packets are recorded there, and feedback is
 * handed over through the send queue).
 */
public final class BandwidthEstimator {

    public static final long START_BPS = 2_500_000;
    public static final long MIN_BPS = 100_000;
    public static final long MAX_BPS = 20_000_000;
    private static final int HISTORY = 1 << 14;
    private static final long GROUP_NANOS = 5_000_000;
    private static final int TREND_WINDOW = 20;
    private static final double SMOOTHING = 0.9;
    private static final double TREND_GAIN = 4.0;
    private static final long ACKED_WINDOW_MICROS = 500_000;

    /** What the delay detector says about the path. */
    public enum Usage { NORMAL, OVERUSING, UNDERUSING }

    private final int[] historySequence = new int[HISTORY];
    private final long[] historyNanos = new long[HISTORY];
    private final int[] historyBytes = new int[HISTORY];

    private long estimateBps = START_BPS;
    private long rembBps = Long.MAX_VALUE;
    private long rembNanos;
    private long lastUpdateNanos;
    private long lastDecreaseNanos = Long.MIN_VALUE / 2;
    private Usage usage = Usage.NORMAL;
    private double lossFraction;
    private long lostSinceMeasure;
    private long knownSinceMeasure;
    private long measureStartNanos;
    private boolean freshLoss;

    // Delay-based detector state.
    private boolean haveGroup;
    private long groupFirstSendNanos;
    private long groupLastSendNanos;
    private long groupLastArrivalMicros;
    private boolean havePrevious;
    private long previousSendNanos;
    private long previousArrivalMicros;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private final double[] trendX = new double[TREND_WINDOW];
    private final double[] trendY = new double[TREND_WINDOW];
    private int trendCount;
    private long firstArrivalMicros = -1;
    private double threshold = 12.5;
    private long lastThresholdMicros = -1;
    private double trend;

    // Acknowledged bitrate over the last half second of arrivals.
    private final ArrayDeque<long[]> acked = new ArrayDeque<>();
    private long ackedBytes;

    /** Records a packet sent with this transport-wide sequence number. */
    public void onSent(int transportSequence, int bytes, long nowNanos) {
        int slot = transportSequence & (HISTORY - 1);
        historySequence[slot] = transportSequence & 0xffff;
        historyNanos[slot] = nowNanos;
        historyBytes[slot] = bytes;
    }

    /** Takes the receiver's transport-cc feedback (RTPFB 15) and updates the estimate. */
    public void onFeedback(TransportCcFeedback feedback, long nowNanos) {
        byte[] statuses = feedback.statuses();
        int[] deltas = feedback.receiveDeltas();
        long arrivalMicros = (long) feedback.referenceTime() * 64_000;
        int delta = 0;
        int known = 0;
        int lost = 0;
        for (int i = 0; i < statuses.length; i++) {
            int sequence = (feedback.baseSequence() + i) & 0xffff;
            int slot = sequence & (HISTORY - 1);
            boolean sent = historySequence[slot] == sequence && historyNanos[slot] != 0;
            if (statuses[i] == TransportCcFeedback.NOT_RECEIVED) {
                if (sent) {
                    known++;
                    lost++;
                }
                continue;
            }
            arrivalMicros += deltas[delta++] * 250L;
            if (!sent) {
                continue;
            }
            known++;
            onArrival(historyNanos[slot], arrivalMicros, historyBytes[slot]);
        }
        // Loss per feedback is noisy (ten packets or so): measure it over at least 100 packets or a second.
        lostSinceMeasure += lost;
        knownSinceMeasure += known;
        if (measureStartNanos == 0) {
            measureStartNanos = nowNanos;
        }
        if (knownSinceMeasure >= 100 || (knownSinceMeasure > 0 && nowNanos - measureStartNanos >= 1_000_000_000L)) {
            lossFraction = (double) lostSinceMeasure / knownSinceMeasure;
            freshLoss = true;
            lostSinceMeasure = 0;
            knownSinceMeasure = 0;
            measureStartNanos = nowNanos;
        }
        update(nowNanos);
    }

    /** A REMB (draft-alvestrand-rmcat-remb) from the receiver: a cap for the next two seconds. */
    public void onRemb(long bitrateBps, long nowNanos) {
        rembBps = Math.max(MIN_BPS, bitrateBps);
        rembNanos = nowNanos;
        update(nowNanos);
    }

    private void onArrival(long sendNanos, long arrivalMicros, int bytes) {
        acked.addLast(new long[] {arrivalMicros, bytes});
        ackedBytes += bytes;
        while (!acked.isEmpty() && arrivalMicros - acked.peekFirst()[0] > ACKED_WINDOW_MICROS) {
            ackedBytes -= acked.pollFirst()[1];
        }
        if (!haveGroup) {
            startGroup(sendNanos, arrivalMicros);
            return;
        }
        if (sendNanos - groupFirstSendNanos <= GROUP_NANOS && sendNanos >= groupFirstSendNanos) {
            groupLastSendNanos = Math.max(groupLastSendNanos, sendNanos);
            groupLastArrivalMicros = Math.max(groupLastArrivalMicros, arrivalMicros);
            return;
        }
        if (sendNanos < groupFirstSendNanos) {
            return; // reordered into an older group: ignore for the delay signal
        }
        closeGroup();
        startGroup(sendNanos, arrivalMicros);
    }

    private void startGroup(long sendNanos, long arrivalMicros) {
        haveGroup = true;
        groupFirstSendNanos = sendNanos;
        groupLastSendNanos = sendNanos;
        groupLastArrivalMicros = arrivalMicros;
    }

    private void closeGroup() {
        if (havePrevious) {
            double sendDeltaMs = (groupLastSendNanos - previousSendNanos) / 1e6;
            double arrivalDeltaMs = (groupLastArrivalMicros - previousArrivalMicros) / 1e3;
            addDelayVariation(arrivalDeltaMs - sendDeltaMs, groupLastArrivalMicros);
        }
        havePrevious = true;
        previousSendNanos = groupLastSendNanos;
        previousArrivalMicros = groupLastArrivalMicros;
    }

    /** The trendline filter: slope of the smoothed accumulated delay over arrival time. */
    private void addDelayVariation(double variationMs, long arrivalMicros) {
        if (firstArrivalMicros < 0) {
            firstArrivalMicros = arrivalMicros;
        }
        accumulatedDelayMs += variationMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        int slot = trendCount % TREND_WINDOW;
        trendX[slot] = (arrivalMicros - firstArrivalMicros) / 1e3;
        trendY[slot] = smoothedDelayMs;
        trendCount++;
        int n = Math.min(trendCount, TREND_WINDOW);
        if (n < TREND_WINDOW) {
            return;
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += trendX[i];
            meanY += trendY[i];
        }
        meanX /= n;
        meanY /= n;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < n; i++) {
            numerator += (trendX[i] - meanX) * (trendY[i] - meanY);
            denominator += (trendX[i] - meanX) * (trendX[i] - meanX);
        }
        double slope = denominator == 0 ? 0 : numerator / denominator;
        trend = Math.min(trendCount, 60) * slope * TREND_GAIN;
        // §5.4: the threshold follows |trend| slowly up and faster down, within [6, 600] ms.
        if (lastThresholdMicros >= 0 && Math.abs(trend) < threshold + 15) {
            double k = Math.abs(trend) < threshold ? 0.039 : 0.0087;
            double dtMs = Math.min((arrivalMicros - lastThresholdMicros) / 1e3, 100);
            threshold = Math.max(6, Math.min(600, threshold + k * (Math.abs(trend) - threshold) * dtMs));
        }
        lastThresholdMicros = arrivalMicros;
        usage = trend > threshold ? Usage.OVERUSING : trend < -threshold ? Usage.UNDERUSING : Usage.NORMAL;
    }

    private void update(long nowNanos) {
        long ackedBps = ackedBitrateBps();
        double seconds = lastUpdateNanos == 0 ? 0 : Math.min(1.0, (nowNanos - lastUpdateNanos) / 1e9);
        lastUpdateNanos = nowNanos;
        boolean mayDecrease = nowNanos - lastDecreaseNanos > 200_000_000L;
        if (usage == Usage.OVERUSING && mayDecrease) {
            long base = ackedBps > 0 ? ackedBps : estimateBps;
            estimateBps = Math.min(estimateBps, (long) (0.85 * base));
            lastDecreaseNanos = nowNanos;
        } else if (lossFraction > 0.10 && freshLoss) {
            estimateBps = (long) (estimateBps * (1 - 0.5 * lossFraction));
            lastDecreaseNanos = nowNanos;
        } else if (usage == Usage.NORMAL && lossFraction < 0.02) {
            long cap = (long) (1.5 * ackedBps) + 500_000;
            long grown = (long) (estimateBps * Math.pow(1.08, seconds));
            if (grown > estimateBps && estimateBps < cap) {
                estimateBps = Math.min(grown, cap);
            }
        }
        freshLoss = false;
        if (nowNanos - rembNanos < 2_000_000_000L) {
            estimateBps = Math.min(estimateBps, rembBps);
        }
        estimateBps = Math.max(MIN_BPS, Math.min(MAX_BPS, estimateBps));
    }

    /** The bitrate that arrived at the receiver over the last half second of feedback, in bits per second. */
    public long ackedBitrateBps() {
        if (acked.size() < 2) {
            return 0;
        }
        long span = acked.peekLast()[0] - acked.peekFirst()[0];
        return span <= 0 ? 0 : ackedBytes * 8 * 1_000_000 / Math.max(span, 100_000);
    }

    /** The estimate of what this subscriber's downlink carries, in bits per second. */
    public long estimateBps() {
        return estimateBps;
    }

    public Usage usage() {
        return usage;
    }

    /** The share of packets reported lost over the last measurement (100 packets or a second). */
    public double lossFraction() {
        return lossFraction;
    }

    /** The latest modified trend (ms of delay growth, scaled as in GCC), for tests and debugging. */
    double trend() {
        return trend;
    }
}
