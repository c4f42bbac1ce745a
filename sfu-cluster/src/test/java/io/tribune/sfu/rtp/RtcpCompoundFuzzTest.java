package io.tribune.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the RTCP decoder: any datagram is either rejected with a reason or decodes into packets that encode and
 * decode back to the same values. Without {@code JAZZER_FUZZ=1} this runs the seeds under
 * {@code RtcpCompoundFuzzTestInputs} as a regression test.
 */
class RtcpCompoundFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodedCompoundsSurviveReencoding(byte[] datagram) {
        RtcpParseResult result = RtcpCompoundReader.parse(datagram, 0, datagram.length);
        if (!result.isWellFormed()) {
            assertThat(result.packets()).isEmpty();
            return;
        }
        byte[] encoded = RtcpCompoundWriter.encode(result.packets());
        RtcpParseResult again = RtcpCompoundReader.parse(encoded, 0, encoded.length);
        assertThat(again.malformation()).isEqualTo(Malformation.NONE);
        assertThat(again.packets()).isEqualTo(result.packets());
    }
}
