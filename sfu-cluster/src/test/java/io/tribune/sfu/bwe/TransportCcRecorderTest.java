package io.tribune.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.rtp.RtcpCompoundReader;
import io.tribune.sfu.rtp.RtcpCompoundWriter;
import io.tribune.sfu.rtp.TransportCcFeedback;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportCcRecorderTest {

    private static final long EPOCH = 5_000_000_000L;

    @Test
    void reportsArrivalsAndGapsSinceTheLastFeedbackIn250MicrosecondTicks() {
        TransportCcRecorder recorder = new TransportCcRecorder(EPOCH);
        long t = EPOCH + 1_000_000_000L; // 1 s after the epoch: reference time 15 (x 64 ms = 960 ms)
        recorder.record(100, t);
        recorder.record(101, t + 1_000_000);
        recorder.record(103, t + 3_000_000); // 102 lost
        recorder.record(104, t + 2_500_000); // arrived before 103: a negative delta
        assertThat(recorder.due(EPOCH + 50_000_000L)).as("within 100 ms of the last feedback").isFalse();
        assertThat(recorder.due(EPOCH + TransportCcRecorder.INTERVAL_NANOS)).isTrue();
        TransportCcFeedback feedback = recorder.build(7, 9, t + 100_000_000L);
        assertThat(feedback.baseSequence()).isEqualTo(100);
        assertThat(feedback.referenceTime()).isEqualTo(15);
        assertThat(feedback.statuses()).containsExactly(TransportCcFeedback.SMALL_DELTA,
                TransportCcFeedback.SMALL_DELTA, TransportCcFeedback.NOT_RECEIVED, TransportCcFeedback.SMALL_DELTA,
                TransportCcFeedback.LARGE_DELTA);
        // 1 s - 960 ms = 40 ms = 160 ticks, then 1 ms = 4 ticks, 2 ms = 8 ticks, -0.5 ms = -2 ticks.
        assertThat(feedback.receiveDeltas()).containsExactly(160, 4, 8, -2);

        // It survives encoding, and the next feedback starts after what was reported.
        byte[] bytes = RtcpCompoundWriter.encode(List.of(feedback));
        assertThat(RtcpCompoundReader.parse(bytes, 0, bytes.length).packets()).containsExactly(feedback);
        recorder.record(102, t + 120_000_000L); // too late: already reported lost
        recorder.record(105, t + 130_000_000L);
        TransportCcFeedback next = recorder.build(7, 9, t + 200_000_000L);
        assertThat(next.baseSequence()).isEqualTo(105);
        assertThat(next.statuses()).hasSize(1);
        assertThat(next.feedbackPacketCount()).isEqualTo(1);
    }

    @Test
    void unwrapsSequenceNumbersAcrossZero() {
        TransportCcRecorder recorder = new TransportCcRecorder(EPOCH);
        recorder.record(65_534, EPOCH + 1_000_000);
        recorder.record(65_535, EPOCH + 2_000_000);
        recorder.record(0, EPOCH + 3_000_000);
        recorder.record(1, EPOCH + 4_000_000);
        TransportCcFeedback feedback = recorder.build(1, 2, EPOCH + 200_000_000L);
        assertThat(feedback.baseSequence()).isEqualTo(65_534);
        assertThat(feedback.statuses()).hasSize(4).doesNotContain(TransportCcFeedback.NOT_RECEIVED);
    }

    @Test
    void feedsAnEstimatorThatSeesEverythingArrive() {
        TransportCcRecorder recorder = new TransportCcRecorder(EPOCH);
        BandwidthEstimator estimator = new BandwidthEstimator();
        long t = EPOCH;
        for (int i = 0; i < 500; i++) {
            estimator.onSent(i, 1000, t);
            recorder.record(i, t + 10_000_000L);
            t += 2_000_000L; // 4 Mbps
            if (recorder.due(t)) {
                estimator.onFeedback(recorder.build(1, 2, t), t);
            }
        }
        assertThat(estimator.lossFraction()).isZero();
        assertThat(estimator.ackedBitrateBps()).isBetween(3_600_000L, 4_400_000L);
        assertThat(estimator.usage()).isEqualTo(BandwidthEstimator.Usage.NORMAL);
    }
}
