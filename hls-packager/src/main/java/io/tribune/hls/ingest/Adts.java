package io.tribune.hls.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an ADTS stream into raw AAC frames and derives the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1). A stream
 * that loses sync, cuts a frame short or names a reserved sampling rate is refused (IllegalArgumentException).
 */
final class Adts {

    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
        8000, 7350};

    record Parsed(byte[] audioSpecificConfig, int sampleRate, List<byte[]> frames) {
    }

    private Adts() {
    }

    static Parsed parse(byte[] s) {
        List<byte[]> frames = new ArrayList<>();
        byte[] asc = null;
        int rate = 0;
        int i = 0;
        while (i + 7 <= s.length) {
            if ((s[i] & 0xFF) != 0xFF || (s[i + 1] & 0xF0) != 0xF0) {
                throw new IllegalArgumentException("lost ADTS sync at " + i);
            }
            boolean noCrc = (s[i + 1] & 1) == 1;
            int objectType = ((s[i + 2] & 0xC0) >>> 6) + 1;
            int rateIndex = (s[i + 2] & 0x3C) >>> 2;
            int channels = ((s[i + 2] & 1) << 2) | ((s[i + 3] & 0xC0) >>> 6);
            int length = ((s[i + 3] & 3) << 11) | ((s[i + 4] & 0xFF) << 3) | ((s[i + 5] & 0xE0) >>> 5);
            int header = noCrc ? 7 : 9;
            if (length < header || i + length > s.length) {
                throw new IllegalArgumentException("ADTS frame at " + i + " says " + length + " bytes; "
                        + (s.length - i) + " are left and its header takes " + header);
            }
            if (rateIndex >= RATES.length) {
                throw new IllegalArgumentException("ADTS frame at " + i + " has a reserved sampling rate index "
                        + rateIndex);
            }
            byte[] frame = new byte[length - header];
            System.arraycopy(s, i + header, frame, 0, frame.length);
            frames.add(frame);
            if (asc == null) {
                int config = (objectType << 11) | (rateIndex << 7) | (channels << 3);
                asc = new byte[] {(byte) (config >>> 8), (byte) config};
                rate = RATES[rateIndex];
            }
            i += length;
        }
        return new Parsed(asc, rate, frames);
    }
}
