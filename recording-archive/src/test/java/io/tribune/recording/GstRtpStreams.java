package io.tribune.recording;

import io.tribune.events.RtpRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real RTP for tests: GStreamer encodes a test pattern or tone and payloads it ({@code rtpvp8pay},
 * {@code rtph264pay}, {@code rtpopuspay}) into an RFC 4571 stream file ({@code rtpstreampay}), which is parsed
 * here into {@link RtpRecord}s as the SFU's tap would publish them.
 */
public final class GstRtpStreams {

    public static final int VP8_PT = 96;
    public static final int H264_PT = 102;
    public static final int OPUS_PT = 111;

    private GstRtpStreams() {
    }

    /** {@code seconds} of 320x240 30 fps VP8 with a key frame every second, in packets of at most 600 bytes. */
    public static List<RtpRecord> vp8(Path dir, int seconds, long ssrc) throws IOException, InterruptedException {
        return run(dir, 90_000, "vp8", "videotestsrc num-buffers=" + seconds * 30
                + " ! video/x-raw,width=320,height=240,framerate=30/1 ! vp8enc deadline=1 keyframe-max-dist=30"
                + " ! rtpvp8pay mtu=600 pt=" + VP8_PT + " ssrc=" + ssrc);
    }

    /** {@code seconds} of 320x240 30 fps H.264 (x264, IDR every second, SPS/PPS before each), FU-A and STAP-A. */
    public static List<RtpRecord> h264(Path dir, int seconds, long ssrc) throws IOException, InterruptedException {
        return run(dir, 90_000, "h264", "videotestsrc num-buffers=" + seconds * 30
                + " ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc tune=zerolatency key-int-max=30"
                + " speed-preset=ultrafast ! video/x-h264,profile=constrained-baseline"
                + " ! rtph264pay config-interval=-1 aggregate-mode=zero-latency mtu=600 pt=" + H264_PT
                + " ssrc=" + ssrc);
    }

    /** {@code seconds} of a 440 Hz stereo tone as 20 ms Opus packets. */
    public static List<RtpRecord> opus(Path dir, int seconds, long ssrc) throws IOException, InterruptedException {
        return opus(dir, seconds, ssrc, 440, 0.8);
    }

    /** {@code seconds} of a stereo tone of {@code frequency} Hz at {@code volume} (0..1) as 20 ms Opus packets. */
    public static List<RtpRecord> opus(Path dir, int seconds, long ssrc, int frequency, double volume)
            throws IOException, InterruptedException {
        return run(dir, 48_000, "opus", "audiotestsrc num-buffers=" + seconds * 50 + " freq=" + frequency
                + " volume=" + volume + " samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=2"
                + " ! opusenc frame-size=20 ! rtpopuspay pt=" + OPUS_PT + " ssrc=" + ssrc);
    }

    /** The same packets as if the first had arrived at {@code firstArrivalMicros} (SFU clock, since the epoch). */
    public static List<RtpRecord> arrivingFrom(List<RtpRecord> records, long firstArrivalMicros) {
        long shift = firstArrivalMicros - records.get(0).arrivalMicros();
        return records.stream().map(r -> new RtpRecord(r.arrivalMicros() + shift, r.ssrc(), r.payloadType(),
                r.sequence(), r.timestamp(), r.marker(), r.payload())).toList();
    }

    private static List<RtpRecord> run(Path dir, int clockRate, String name, String pipeline)
            throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".rtpstream");
        Path log = dir.resolve(name + ".gst.log");
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        command.addAll(Arrays.asList((pipeline + " ! rtpstreampay ! filesink location=" + out).split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("gst-launch did not finish in 120 s: " + pipeline);
        }
        if (process.exitValue() != 0) {
            throw new IOException("gst-launch failed (" + process.exitValue() + "): " + Files.readString(log));
        }
        return parse(Files.readAllBytes(out), clockRate);
    }

    /**
     * RFC 4571 framing (16-bit length, packet), each an RTP packet (RFC 3550 section 5.1). Arrival times follow the
     * RTP timestamps, as a real-time sender's would.
     */
    static List<RtpRecord> parse(byte[] stream, int clockRate) {
        List<RtpRecord> records = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(stream);
        long base = System.currentTimeMillis() * 1000;
        long firstTimestamp = -1;
        while (in.remaining() >= 2) {
            int length = in.getShort() & 0xFFFF;
            byte[] packet = new byte[length];
            in.get(packet);
            ByteBuffer rtp = ByteBuffer.wrap(packet);
            int first = rtp.get() & 0xFF;
            int second = rtp.get() & 0xFF;
            int sequence = rtp.getShort() & 0xFFFF;
            long timestamp = rtp.getInt() & 0xFFFF_FFFFL;
            long ssrc = rtp.getInt() & 0xFFFF_FFFFL;
            int offset = 12 + 4 * (first & 0x0F);
            if ((first & 0x10) != 0) {
                int words = (packet[offset + 2] & 0xFF) << 8 | (packet[offset + 3] & 0xFF);
                offset += 4 + 4 * words;
            }
            int end = packet.length - ((first & 0x20) != 0 ? packet[packet.length - 1] & 0xFF : 0);
            if (firstTimestamp < 0) {
                firstTimestamp = timestamp;
            }
            long arrival = base + ((timestamp - firstTimestamp) & 0xFFFF_FFFFL) * 1_000_000 / clockRate;
            records.add(new RtpRecord(arrival, ssrc, second & 0x7F, sequence, timestamp, (second & 0x80) != 0,
                    Arrays.copyOfRange(packet, offset, end)));
        }
        return records;
    }
}
