package io.tribune.common.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzzes the packager's side of the ingest protocol: any byte stream either fails with an
 * {@link IngestProtocolException} or yields frames that encode back to the very bytes they came from. Without
 * {@code JAZZER_FUZZ=1} this replays the seeds under {@code IngestFrameFuzzTestInputs}.
 */
class IngestFrameFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodedFramesEncodeToTheirOwnBytes(byte[] stream) throws IOException {
        IngestReader reader = new IngestReader(new ByteArrayInputStream(stream));
        try {
            for (IngestFrame frame = reader.read(); frame != null; frame = reader.read()) {
                byte[] again = IngestProtocol.encodePayload(frame);
                assertThat(IngestProtocol.decode(IngestProtocol.typeOf(frame), again)).isEqualTo(frame);
                if (!containsFrame(stream, IngestProtocol.encode(frame))) {
                    throw new AssertionError("re-encoded " + frame + " is not in the input");
                }
            }
        } catch (IngestProtocolException e) {
            // Refused with a reason: what the packager does with bad input.
        }
    }

    private static boolean containsFrame(byte[] stream, byte[] frame) {
        for (int i = 0; i + frame.length <= stream.length; i++) {
            if (Arrays.equals(stream, i, i + frame.length, frame, 0, frame.length)) {
                return true;
            }
        }
        return false;
    }
}
