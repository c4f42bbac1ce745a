package io.tribune.hls.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class AdtsTest {

    @Test
    void splitsFramesAndDerivesTheAudioSpecificConfig() {
        byte[] first = {1, 2, 3, 4, 5};
        byte[] second = {6, 7};
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(3, 2, first)); // AAC LC, 48 kHz, stereo
        stream.writeBytes(frame(3, 2, second));

        Adts.Parsed parsed = Adts.parse(stream.toByteArray());

        // objectType 2 << 11 | rate index 3 << 7 | channels 2 << 3 = 0x1190
        assertThat(parsed.audioSpecificConfig()).containsExactly(0x11, 0x90);
        assertThat(parsed.sampleRate()).isEqualTo(48_000);
        assertThat(parsed.frames()).containsExactly(first, second);
    }

    @Test
    void refusesALostSyncACutFrameAndAReservedRate() {
        byte[] good = frame(3, 2, new byte[] {1, 2, 3});
        byte[] noSync = good.clone();
        noSync[0] = 0x12;
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);

        assertThatThrownBy(() -> Adts.parse(noSync)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lost ADTS sync at 0");
        assertThatThrownBy(() -> Adts.parse(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("says 10 bytes");
        assertThatThrownBy(() -> Adts.parse(frame(13, 2, new byte[] {1}))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved sampling rate index 13");
    }

    /** One ADTS frame without CRC: AAC LC, the given sampling rate index and channel count. */
    private static byte[] frame(int rateIndex, int channels, byte[] payload) {
        int length = 7 + payload.length;
        byte[] frame = new byte[length];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xF1; // MPEG-4, layer 0, no CRC
        frame[2] = (byte) ((1 << 6) | (rateIndex << 2) | (channels >> 2)); // profile LC (object type 2 - 1)
        frame[3] = (byte) (((channels & 3) << 6) | (length >> 11));
        frame[4] = (byte) (length >> 3);
        frame[5] = (byte) (((length & 7) << 5) | 0x1F);
        frame[6] = (byte) 0xFC;
        System.arraycopy(payload, 0, frame, 7, payload.length);
        return frame;
    }
}
