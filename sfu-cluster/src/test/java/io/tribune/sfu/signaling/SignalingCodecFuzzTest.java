package io.tribune.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the signaling message reader with arbitrary text: it either rejects it with {@link SignalingException}
 * (which becomes an error message to the client) or reads a message that writes and reads back to itself. Any
 * other exception fails. Without {@code JAZZER_FUZZ=1} this runs the seeds under
 * {@code SignalingCodecFuzzTestInputs}.
 */
class SignalingCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readsOrRejectsAnyText(byte[] input) {
        ClientMessage message;
        try {
            message = SignalingCodec.parse(new String(input, StandardCharsets.UTF_8));
        } catch (SignalingException e) {
            assertThat(e.code()).isNotEmpty();
            return;
        }
        try {
            assertThat(SignalingCodec.parse(SignalingCodec.write(message))).isEqualTo(message);
        } catch (SignalingException e) {
            throw new AssertionError("a message read does not write and read back", e);
        }
    }
}
