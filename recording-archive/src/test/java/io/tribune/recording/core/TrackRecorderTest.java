package io.tribune.recording.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.tribune.events.RtpRecord;
import io.tribune.recording.GstRtpStreams;
import io.tribune.recording.mux.Ffprobe;
import io.tribune.recording.mux.TrackCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A track whose packets move to another SSRC mid-way, as the SFU's tap does when the simulcast layer changes. */
class TrackRecorderTest {

    @TempDir
    Path dir;

    @Test
    void aTrackThatMovesToAnotherSsrcContinuesInOneFileOnOneClock() throws Exception {
        List<RtpRecord> low = GstRtpStreams.vp8(Files.createDirectories(dir.resolve("low")), 2, 1111);
        List<RtpRecord> high = GstRtpStreams.vp8(Files.createDirectories(dir.resolve("high")), 2, 5555);
        // The second layer starts one frame interval after the first one's last packet, with its own sequence and
        // timestamp numbering (GStreamer picks random bases per stream).
        long start = low.get(low.size() - 1).arrivalMicros() + 33_333;
        long highBase = high.get(0).arrivalMicros();
        List<RtpRecord> packets = new ArrayList<>(low);
        for (RtpRecord r : high) {
            packets.add(new RtpRecord(start + r.arrivalMicros() - highBase, r.ssrc(), r.payloadType(), r.sequence(),
                    r.timestamp(), r.marker(), r.payload()));
        }
        // A straggler of the layer the track left arrives after the change.
        RtpRecord last = low.get(low.size() - 1);
        packets.add(packets.size() - 10, new RtpRecord(start, last.ssrc(), last.payloadType(),
                (last.sequence() + 1) & 0xFFFF, (last.timestamp() + 3000) & 0xFFFF_FFFFL, false,
                new byte[] {0x10, 0, 0}));

        TrackInfo info = new TrackInfo("m:camera", "m", "camera", "r", "video", TrackCodec.VP8, 90_000,
                GstRtpStreams.VP8_PT, "p", "Ada", "camera");
        Path file = dir.resolve("camera.webm");
        try (TrackRecorder recorder = new TrackRecorder(info, file, 128, 1 << 22)) {
            packets.forEach(recorder::accept);
            assertThat(recorder.finish()).isEqualTo(TrackRecorder.Outcome.WRITTEN);
            assertThat(recorder.ssrcChanges()).isEqualTo(1);
            assertThat(recorder.late()).isEqualTo(1);
            assertThat(recorder.lost()).isZero();
            assertThat(recorder.framesDropped()).isZero();
            assertThat(recorder.durationMillis()).isBetween(3_900L, 4_100L);
        }
        Ffprobe.Stream stream = Ffprobe.probe(file);
        assertThat(stream.codec()).isEqualTo("vp8");
        assertThat(stream.durationSeconds()).isCloseTo(4.0, offset(0.2));
        assertThat(Ffprobe.decodeErrors(file)).isEmpty();
    }
}
