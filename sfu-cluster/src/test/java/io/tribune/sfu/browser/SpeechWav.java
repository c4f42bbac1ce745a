package io.tribune.sfu.browser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a 48 kHz mono 16-bit WAV file of voice-like sound and silence, for Chromium's
 * {@code --use-file-for-fake-audio-capture} (which loops it). The "voice" is a 150 Hz tone with harmonics under a
 * four-syllables-per-second envelope that never drops to silence, at about -16 dBov: every 20 ms frame of it is
 * speech to the SFU, every frame of the silence is digital silence (RFC 6464 level 127).
 */
final class SpeechWav {

    private static final int RATE = 48_000;

    private SpeechWav() {
    }

    /**
     * @param seconds the file's length
     * @param voiceFrom where the voice starts, in seconds
     * @param voiceUntil where it ends; silence before and after
     */
    static Path write(Path file, double seconds, double voiceFrom, double voiceUntil) throws IOException {
        int samples = (int) (seconds * RATE);
        ByteBuffer data = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            double t = (double) i / RATE;
            double value = 0;
            if (t >= voiceFrom && t < voiceUntil) {
                double syllables = 0.55 + 0.45 * Math.pow(Math.sin(Math.PI * 4 * t), 2);
                double voice = Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t)
                        + 0.25 * Math.sin(2 * Math.PI * 450 * t);
                value = 0.3 * syllables * voice / 1.75;
            }
            data.putShort((short) Math.round(value * Short.MAX_VALUE));
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes());
        header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                .putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
        header.put("data".getBytes()).putInt(data.capacity());
        byte[] bytes = new byte[44 + data.capacity()];
        System.arraycopy(header.array(), 0, bytes, 0, 44);
        System.arraycopy(data.array(), 0, bytes, 44, data.capacity());
        return Files.write(file, bytes);
    }
}
