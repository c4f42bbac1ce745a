package io.tribune.transcoder.testing;

import io.tribune.common.media.IngestFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers: turn a rung's ingest samples back into an H.264 Annex B file and let ffmpeg/ffprobe judge it. */
public final class Rungs {

    private Rungs() {
    }

    /** SPS and PPS from an avcC record, then each access unit with start codes instead of 4-byte lengths. */
    public static Path writeAnnexB(IngestFrame.TrackAnnounce track, List<IngestFrame.Sample> samples, Path file)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer avcc = ByteBuffer.wrap(track.codecConfig());
        avcc.position(5);
        int sps = avcc.get() & 0x1F;
        for (int i = 0; i < sps; i++) {
            nal(out, avcc, Short.toUnsignedInt(avcc.getShort()));
        }
        int pps = avcc.get() & 0xFF;
        for (int i = 0; i < pps; i++) {
            nal(out, avcc, Short.toUnsignedInt(avcc.getShort()));
        }
        for (IngestFrame.Sample sample : samples) {
            ByteBuffer au = ByteBuffer.wrap(sample.payload());
            while (au.remaining() >= 4) {
                nal(out, au, au.getInt());
            }
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    /** {@code ffmpeg -v error} decoding the whole file: the error lines (empty when it decodes cleanly). */
    public static String decodeErrors(Path file) throws IOException, InterruptedException {
        return run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null",
                "-"));
    }

    /** ffprobe's count of decoded frames and the codec, "h264,640,360,180". */
    public static String probe(Path file) throws IOException, InterruptedException {
        return run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", file.toString())).strip();
    }

    /** Keyframe dts values of a track's samples. */
    public static List<Long> keyframeDts(List<IngestFrame.Sample> samples) {
        List<Long> keys = new ArrayList<>();
        for (IngestFrame.Sample s : samples) {
            if (s.keyframe()) {
                keys.add(s.dts());
            }
        }
        return keys;
    }

    private static void nal(ByteArrayOutputStream out, ByteBuffer in, int length) {
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(1);
        out.write(in.array(), in.position(), length);
        in.position(in.position() + length);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in 120 s");
        }
        return new String(out);
    }
}
