package io.tribune.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.rtp.NtpTime;
import io.tribune.sfu.rtp.ReportBlock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The receiver report block the node sends a publisher (RFC 3550 §6.4.1, A.3, A.8). */
class ReceptionStatisticsTest {

    private static final long SSRC = 0xCAFEL;

    @Test
    void reportsLossSinceTheLastReportAndInTotalAcrossASequenceWrap() {
        ReceptionStatistics stats = new ReceptionStatistics();
        // 65530..65535, then 0..13 with 2 and 3 missing: 20 expected, 18 received.
        for (int i = 0; i < 20; i++) {
            int sequence = (65_530 + i) & 0xffff;
            if (sequence != 2 && sequence != 3) {
                stats.received(sequence, 3000L * i, 3000L * i + 500);
            }
        }
        ReportBlock first = stats.report(SSRC, 90_000, 0);
        assertThat(first.ssrc()).isEqualTo((int) SSRC);
        assertThat(first.extendedHighestSequence()).isEqualTo(0x10000L + 13);
        assertThat(first.cumulativeLost()).isEqualTo(2);
        assertThat(first.fractionLost()).isEqualTo(2 * 256 / 20);
        assertThat(first.jitter()).as("constant transit: no jitter").isZero();

        // Ten more, all there: nothing lost in this interval; the total stays.
        for (int i = 20; i < 30; i++) {
            stats.received((65_530 + i) & 0xffff, 3000L * i, 3000L * i + 500);
        }
        ReportBlock second = stats.report(SSRC, 90_000, 0);
        assertThat(second.fractionLost()).isZero();
        assertThat(second.cumulativeLost()).isEqualTo(2);
        assertThat(stats.lossFraction()).isZero();
    }

    @Test
    void jitterFollowsVaryingTransitTimes() {
        ReceptionStatistics stats = new ReceptionStatistics();
        for (int i = 0; i < 200; i++) {
            long late = i % 2 == 0 ? 0 : 900; // every other packet 10 ms late at 90 kHz
            stats.received(i, 3000L * i, 3000L * i + late);
        }
        ReportBlock block = stats.report(SSRC, 90_000, 0);
        // J converges to |D| = 900 units.
        assertThat(block.jitter()).isBetween(850L, 900L);
        assertThat(stats.jitterMillis()).isBetween(9.0, 10.1);
    }

    @Test
    void echoesTheLastSenderReportWithTheDelaySinceIt() {
        ReceptionStatistics stats = new ReceptionStatistics();
        stats.received(1, 0, 0);
        assertThat(stats.report(SSRC, 48_000, 0).lastSenderReport()).as("no SR yet").isZero();
        long ntp = NtpTime.of(Instant.parse("2026-11-26T12:00:00.5Z"));
        stats.senderReport(ntp, 1_000_000_000L);
        ReportBlock block = stats.report(SSRC, 48_000, 1_250_000_000L);
        assertThat(block.lastSenderReport()).isEqualTo(NtpTime.compact(ntp));
        assertThat(block.delaySinceLastSenderReport()).isEqualTo(65_536 / 4); // 250 ms in 1/65536 s
    }
}
