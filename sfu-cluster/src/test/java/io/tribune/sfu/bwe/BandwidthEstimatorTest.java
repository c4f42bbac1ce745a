package io.tribune.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.rtp.TransportCcFeedback;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BandwidthEstimatorTest {

    /**
     * A simulated path: packets of {@code bytes} sent at {@code sendBps}, through a bottleneck of
     * {@code linkBps} with a queue (arrival = max(send + 20 ms, previous arrival + serialisation time)), each
     * {@code lossEvery}-th packet lost; feedback every 100 ms. Returns the estimate after {@code seconds}.
     */
    private static final class Path {
        final BandwidthEstimator estimator = new BandwidthEstimator();
        long sendBps;
        long linkBps;
        int lossEvery;
        int sequence;
        long clockNanos = 1_000_000_000L;
        long lastArrivalNanos;
        final List<long[]> pending = new ArrayList<>(); // {sequence, arrivalNanos or -1}
        int feedbackCount;

        Path(long sendBps, long linkBps, int lossEvery) {
            this.sendBps = sendBps;
            this.linkBps = linkBps;
            this.lossEvery = lossEvery;
        }

        long run(double seconds) {
            int bytes = 1200;
            long gapNanos = bytes * 8L * 1_000_000_000L / sendBps;
            long end = clockNanos + (long) (seconds * 1e9);
            long nextFeedback = clockNanos + 100_000_000L;
            while (clockNanos < end) {
                estimator.onSent(sequence, bytes, clockNanos);
                long serialisation = bytes * 8L * 1_000_000_000L / linkBps;
                long arrival = Math.max(clockNanos + 20_000_000L, lastArrivalNanos + serialisation);
                boolean lost = lossEvery > 0 && sequence % lossEvery == 0;
                if (!lost) {
                    lastArrivalNanos = arrival;
                }
                pending.add(new long[] {sequence, lost ? -1 : arrival});
                sequence = (sequence + 1) & 0xffff;
                clockNanos += gapNanos;
                if (clockNanos >= nextFeedback) {
                    feedback();
                    nextFeedback += 100_000_000L;
                }
            }
            return estimator.estimateBps();
        }

        /** Reports what has arrived by now (lost ones as not received), as a browser would. */
        private void feedback() {
            List<long[]> due = new ArrayList<>();
            for (long[] p : pending) {
                if (p[1] < 0 || p[1] <= clockNanos) {
                    due.add(p);
                } else {
                    break;
                }
            }
            if (due.isEmpty()) {
                return;
            }
            pending.subList(0, due.size()).clear();
            byte[] statuses = new byte[due.size()];
            List<Integer> deltas = new ArrayList<>();
            long firstArrival = due.stream().filter(p -> p[1] >= 0).mapToLong(p -> p[1]).findFirst().orElse(0);
            int reference = (int) (firstArrival / 1000 / 64_000);
            long previousMicros = reference * 64_000L;
            for (int i = 0; i < due.size(); i++) {
                if (due.get(i)[1] < 0) {
                    continue;
                }
                long micros = due.get(i)[1] / 1000;
                int ticks = (int) Math.round((micros - previousMicros) / 250.0);
                previousMicros += ticks * 250L;
                statuses[i] = ticks >= 0 && ticks <= 255 ? TransportCcFeedback.SMALL_DELTA
                        : TransportCcFeedback.LARGE_DELTA;
                deltas.add(ticks);
            }
            estimator.onFeedback(new TransportCcFeedback(1, 2, (int) due.get(0)[0], reference, feedbackCount++ & 0xff,
                    statuses, deltas.stream().mapToInt(Integer::intValue).toArray()), clockNanos);
        }
    }

    @Nested
    class WhenThePathHasRoom {
        @Test
        void keepsTheStartEstimateWhileEverythingArrivesOnTime() {
            Path path = new Path(1_000_000, 10_000_000, 0);
            long estimate = path.run(10);
            assertThat(path.estimator.usage()).isEqualTo(BandwidthEstimator.Usage.NORMAL);
            assertThat(estimate).isGreaterThanOrEqualTo(BandwidthEstimator.START_BPS);
            assertThat(path.estimator.ackedBitrateBps()).isBetween(900_000L, 1_100_000L);
        }

        @Test
        void growsNoFurtherThanWhatArrivedCanJustify() {
            Path path = new Path(200_000, 10_000_000, 0);
            long estimate = path.run(30);
            // 1.5 x 200 kbps + 500 kbps = 800 kbps: the start estimate (above it) is neither raised nor cut.
            assertThat(estimate).isEqualTo(BandwidthEstimator.START_BPS);
        }
    }

    @Nested
    class WhenTheBottleneckIsNarrowerThanTheSendRate {
        @Test
        void detectsOveruseFromGrowingDelayAndDropsBelowTheSendRate() {
            Path path = new Path(2_000_000, 1_000_000, 0);
            long estimate = path.run(5);
            assertThat(estimate).as("estimate with a 1 Mbps bottleneck").isLessThan(1_200_000L);
        }
    }

    @Nested
    class WhenPacketsAreLost {
        @Test
        void cutsTheEstimateUnderHeavyLoss() {
            Path path = new Path(1_000_000, 10_000_000, 5);
            long estimate = path.run(5);
            assertThat(path.estimator.lossFraction()).isBetween(0.15, 0.25);
            // About 10% less per measured second (half the loss), as GCC's loss-based controller does.
            assertThat(estimate).isLessThan((long) (BandwidthEstimator.START_BPS * 0.7));
            assertThat(path.run(5)).as("and on while the loss lasts").isLessThan((long) (estimate * 0.7));
        }

        @Test
        void ignoresLightLoss() {
            Path path = new Path(1_000_000, 10_000_000, 100);
            long estimate = path.run(5);
            assertThat(estimate).isGreaterThanOrEqualTo(BandwidthEstimator.START_BPS);
        }
    }

    @Test
    void aRembCapsTheEstimate() {
        Path path = new Path(1_000_000, 10_000_000, 0);
        path.run(1);
        path.estimator.onRemb(700_000, path.clockNanos);
        assertThat(path.estimator.estimateBps()).isEqualTo(700_000);
    }
}
