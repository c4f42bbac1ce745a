package io.tribune.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the SDP parser and the offer reader with arbitrary text: they either reject it with
 * {@link SdpParseException} or produce a description that prints and parses back to itself. Any other exception
 * fails. Without {@code JAZZER_FUZZ=1} this runs the seeds under {@code SdpFuzzTestInputs}.
 */
class SdpFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parsesOrRejectsAnyText(byte[] input) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(new String(input, StandardCharsets.UTF_8));
        } catch (SdpParseException e) {
            return;
        }
        try {
            assertThat(SessionDescription.parse(sdp.toString())).isEqualTo(sdp);
        } catch (SdpParseException e) {
            throw new AssertionError("printed SDP does not parse back", e);
        }
        try {
            WebRtcOffer.from(sdp);
        } catch (SdpParseException e) {
            // Not an acceptable offer: fine, as long as it says so this way.
        }
    }
}
