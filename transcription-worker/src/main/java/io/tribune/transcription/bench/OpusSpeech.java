package io.tribune.transcription.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The fixture sentences as one Opus stream, like a browser sends it: each sentence spoken by espeak-ng, followed by
 * 1.5 s of silence, encoded by the ffmpeg CLI (libopus, 32 kbps, 20 ms frames, 48 kHz mono) into Ogg, whose packets
 * are read back with javacv's grabber in packet mode.
 *
 * @param packets      Opus packets, one RTP payload each
 * @param timestamps   each packet's 48 kHz timestamp from the stream's start
 * @param phraseStarts each sentence's first voiced sample, in milliseconds from the stream's start
 * @param phraseEnds   each sentence's last voiced sample, in milliseconds from the stream's start
 */
public record OpusSpeech(List<String> sentences, List<byte[]> packets, List<Long> timestamps,
                         List<Long> phraseStarts, List<Long> phraseEnds) {

    public static OpusSpeech make(Path dir) throws Exception {
        List<String> sentences = Speech.sentences();
        List<String> sox = new ArrayList<>(List.of("sox"));
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < sentences.size(); i++) {
            Path wav = dir.resolve("s" + i + ".wav");
            Path padded = dir.resolve("s" + i + "-padded.wav");
            Speech.speak(sentences.get(i), wav);
            Speech.run(List.of("sox", wav.toString(), padded.toString(), "pad", "0", "1.5"));
            long[] voiced = voicedMillis(wav);
            starts.add(offset + voiced[0]);
            ends.add(offset + voiced[1]);
            offset += durationMillis(padded);
            sox.add(padded.toString());
        }
        Path joined = dir.resolve("speech.wav");
        sox.add(joined.toString());
        Speech.run(sox);
        Path ogg = dir.resolve("speech.ogg");
        Speech.run(List.of("ffmpeg", "-y", "-loglevel", "error", "-i", joined.toString(), "-ar", "48000", "-ac", "1",
                "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20", "-application", "voip", ogg.toString()));
        List<byte[]> packets = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(ogg.toFile())) {
            grabber.start();
            long ts = 0;
            AVPacket packet;
            while ((packet = grabber.grabPacket()) != null) {
                if (packet.size() <= 0) {
                    continue;
                }
                byte[] payload = new byte[packet.size()];
                ByteBuffer data = packet.data().capacity(packet.size()).asByteBuffer();
                data.get(payload);
                packets.add(payload);
                timestamps.add(ts);
                ts += packet.duration() > 0 ? packet.duration() : 960;
            }
            grabber.stop();
        }
        return new OpusSpeech(sentences, packets, timestamps, starts, ends);
    }

    private static long durationMillis(Path wav) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            return Math.round(in.getFrameLength() * 1000.0 / in.getFormat().getFrameRate());
        }
    }

    /** The first and last sample louder than about -36 dBFS, in milliseconds (espeak-ng writes 16-bit mono). */
    private static long[] voicedMillis(Path wav) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat format = in.getFormat();
            byte[] bytes = in.readAllBytes();
            int first = -1;
            int last = -1;
            for (int i = 0; i + 1 < bytes.length; i += 2) {
                int sample = format.isBigEndian() ? (bytes[i] << 8) | (bytes[i + 1] & 0xFF)
                        : (bytes[i + 1] << 8) | (bytes[i] & 0xFF);
                if (Math.abs(sample) > 500) {
                    if (first < 0) {
                        first = i / 2;
                    }
                    last = i / 2;
                }
            }
            double rate = format.getSampleRate();
            return new long[] {Math.round(first * 1000 / rate), Math.round(last * 1000 / rate)};
        }
    }

    public long durationMillis() {
        return timestamps.isEmpty() ? 0 : timestamps.get(timestamps.size() - 1) / 48 + 20;
    }
}
