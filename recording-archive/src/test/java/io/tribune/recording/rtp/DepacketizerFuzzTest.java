package io.tribune.recording.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the reorder buffer and the three depacketizers with arbitrary packets (sequence, timestamp, marker,
 * payload): whatever arrives, nothing throws, every frame handed over is non-empty and at most the size limit, and
 * the H.264 parameter-set readers either answer or say they cannot. Without {@code JAZZER_FUZZ=1} this runs the
 * seeds under {@code DepacketizerFuzzTestInputs}, if any, and a few generated inputs.
 */
class DepacketizerFuzzTest {

    private static final int MAX_FRAME = 4096;

    @FuzzTest(maxDuration = "30s")
    void survivesAnyPackets(FuzzedDataProvider data) {
        ReorderBuffer buffer = new ReorderBuffer(1 + data.consumeInt(0, 64));
        H264Depacketizer h264 = new H264Depacketizer(MAX_FRAME);
        List<Depacketizer> depacketizers = List.of(new Vp8Depacketizer(MAX_FRAME), h264, new OpusDepacketizer());
        List<MediaFrame> frames = new ArrayList<>();
        while (data.remainingBytes() > 8) {
            int sequence = data.consumeInt(0, 0xFFFF);
            long timestamp = data.consumeLong(0, 0xFFFF_FFFFL);
            boolean marker = data.consumeBoolean();
            byte[] payload = data.consumeBytes(data.consumeInt(0, 1500));
            buffer.push(sequence, timestamp, marker, payload,
                    packet -> depacketizers.forEach(d -> d.push(packet, frames::add)));
        }
        buffer.flush(packet -> depacketizers.forEach(d -> d.push(packet, frames::add)));
        depacketizers.forEach(d -> d.flush(frames::add));
        assertThat(frames).allSatisfy(frame -> assertThat(frame.data().length).isBetween(1, 1275 * 48));
        if (h264.hasParameterSets()) {
            h264.avcDecoderConfiguration();
            h264.dimensions();
        }
    }
}
