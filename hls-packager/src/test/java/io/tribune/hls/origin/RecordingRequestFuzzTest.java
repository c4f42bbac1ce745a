package io.tribune.hls.origin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes what a viewer's request puts before the recordings origin's storage lookup: the path (recording id and
 * file) and the Range header. Any input is answered without an exception; a key, when there is one, stays under
 * the recording's own prefix with no dot segments; a range, when there is one, lies inside the object. Without
 * {@code JAZZER_FUZZ=1} this replays the seeds under {@code RecordingRequestFuzzTestInputs} (none: one run).
 */
class RecordingRequestFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void pathsStayInsideTheRecordingAndRangesInsideTheObject(FuzzedDataProvider data) {
        String recordingId = data.consumeString(140);
        String file = data.consumeString(300);
        long size = data.consumeLong(0, 1L << 40);
        String range = data.consumeRemainingAsString();

        String key = RecordingResource.objectKey(recordingId, file);
        if (key != null) {
            assertThat(key).startsWith("recordings/" + recordingId + "/");
            assertThat(key.substring(("recordings/" + recordingId + "/").length()).split("/", -1))
                    .allSatisfy(segment -> assertThat(segment).isNotEmpty().doesNotStartWith("."));
            assertThat(recordingId).doesNotContain("/", ".");
        }

        RecordingResource.ByteRange parsed = RecordingResource.parseRange(range, size);
        if (parsed != null && parsed != RecordingResource.UNSATISFIABLE) {
            assertThat(parsed.first()).isBetween(0L, size - 1);
            assertThat(parsed.last()).isBetween(parsed.first(), size - 1);
        }
    }
}
