package io.tribune.recording.mux;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.RtpRecord;
import io.tribune.recording.GstRtpStreams;
import io.tribune.recording.rtp.Depacketizer;
import io.tribune.recording.rtp.H264Depacketizer;
import io.tribune.recording.rtp.MediaFrame;
import io.tribune.recording.rtp.OpusDepacketizer;
import io.tribune.recording.rtp.ReorderBuffer;
import io.tribune.recording.rtp.Vp8Depacketizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real RTP from GStreamer, depacketized and muxed without re-encoding; ffprobe must read the file back. */
class TrackFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesVp8RtpAsWebmThatFfprobeReads() throws Exception {
        Path file = dir.resolve("camera.webm");
        List<MediaFrame> frames = frames(GstRtpStreams.vp8(dir, 3, 1111), new Vp8Depacketizer(1 << 22));
        assertThat(frames).hasSize(90);
        assertThat(frames.get(0).keyframe()).isTrue();
        int[] size = Vp8Depacketizer.dimensions(frames.get(0).data());
        assertThat(size).containsExactly(320, 240);
        try (TrackFileWriter writer = new TrackFileWriter(file, TrackCodec.VP8, 90_000, null, size[0], size[1], 0)) {
            for (MediaFrame frame : frames) {
                writer.write(frame.timestamp(), frame.keyframe(), frame.data());
            }
            writer.finish();
        }
        Ffprobe.Stream stream = Ffprobe.probe(file);
        assertThat(stream.codec()).isEqualTo("vp8");
        assertThat(stream.durationSeconds()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(Ffprobe.decodeErrors(file)).isEmpty();
    }

    @Test
    void writesOpusRtpAsWebmThatFfprobeReads() throws Exception {
        Path file = dir.resolve("microphone.webm");
        List<MediaFrame> frames = frames(GstRtpStreams.opus(dir, 3, 2222), new OpusDepacketizer());
        try (TrackFileWriter writer = new TrackFileWriter(file, TrackCodec.OPUS, 48_000,
                OpusDepacketizer.opusHead(2), 0, 0, 2)) {
            for (MediaFrame frame : frames) {
                writer.write(frame.timestamp(), frame.keyframe(), frame.data());
            }
            writer.finish();
        }
        Ffprobe.Stream stream = Ffprobe.probe(file);
        assertThat(stream.codec()).isEqualTo("opus");
        assertThat(stream.durationSeconds()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(Ffprobe.decodeErrors(file)).isEmpty();
    }

    @Test
    void writesH264RtpAsMatroskaThatFfprobeReads() throws Exception {
        Path file = dir.resolve("screen.mkv");
        H264Depacketizer depacketizer = new H264Depacketizer(1 << 22);
        List<MediaFrame> frames = frames(GstRtpStreams.h264(dir, 3, 3333), depacketizer);
        assertThat(frames).hasSize(90);
        assertThat(frames.get(0).keyframe()).isTrue();
        assertThat(depacketizer.dimensions()).containsExactly(320, 240);
        try (TrackFileWriter writer = new TrackFileWriter(file, TrackCodec.H264, 90_000,
                depacketizer.avcDecoderConfiguration(), 320, 240, 0)) {
            for (MediaFrame frame : frames) {
                writer.write(frame.timestamp(), frame.keyframe(), frame.data());
            }
            writer.finish();
        }
        Ffprobe.Stream stream = Ffprobe.probe(file);
        assertThat(stream.codec()).isEqualTo("h264");
        assertThat(stream.durationSeconds()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(Ffprobe.decodeErrors(file)).isEmpty();
    }

    private static List<MediaFrame> frames(List<RtpRecord> records, Depacketizer depacketizer) {
        ReorderBuffer buffer = new ReorderBuffer(64);
        List<MediaFrame> frames = new ArrayList<>();
        for (RtpRecord record : records) {
            buffer.push(record.sequence(), record.timestamp(), record.marker(), record.payload(),
                    packet -> depacketizer.push(packet, frames::add));
        }
        buffer.flush(packet -> depacketizer.push(packet, frames::add));
        depacketizer.flush(frames::add);
        return frames;
    }
}
