package io.tribune.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClockPatternTest {

    private static final long CAPTURED = 1_795_000_000_123L; // 2026-11-18

    @Test
    void crcIsTheStandardCrc8() {
        // CRC-8 (poly 0x07, init 0, no reflection, no final XOR) of "123456789" is 0xF4.
        assertThat(ClockPattern.crc8("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xF4);
    }

    @Test
    void aFrameReadsBackAsItsCaptureTime() {
        byte[] frame = new byte[640 * 360 * 3 / 2];
        ClockPattern.draw(frame, 640, 360, CAPTURED);
        double[] lumas = ClockPattern.sample(frame, 640, 360);
        assertThat(ClockPattern.decode(lumas, CAPTURED + 1500)).hasValue(CAPTURED);
        assertThat(ClockPattern.decode(lumas, CAPTURED)).hasValue(CAPTURED);
    }

    @Test
    void theLowestRungWithEncoderNoiseStillReads() {
        byte[] frame = new byte[640 * 360 * 3 / 2];
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            long captured = CAPTURED + random.nextInt(1 << 30);
            ClockPattern.draw(frame, 640, 360, captured);
            // Down to 320x180 (2x2 averages), then each pixel off by up to +-60 (ringing, blocking, chroma bleed).
            byte[] small = new byte[320 * 180];
            for (int y = 0; y < 180; y++) {
                for (int x = 0; x < 320; x++) {
                    int sum = (frame[2 * y * 640 + 2 * x] & 0xff) + (frame[2 * y * 640 + 2 * x + 1] & 0xff)
                            + (frame[(2 * y + 1) * 640 + 2 * x] & 0xff) + (frame[(2 * y + 1) * 640 + 2 * x + 1] & 0xff);
                    int noisy = sum / 4 + random.nextInt(121) - 60;
                    small[y * 320 + x] = (byte) Math.max(0, Math.min(255, noisy));
                }
            }
            assertThat(ClockPattern.decode(ClockPattern.sample(small, 320, 180), captured + 2000))
                    .hasValue(captured);
        }
    }

    @Test
    void aWrongBlockFailsTheCrc() {
        byte[] frame = new byte[640 * 360 * 3 / 2];
        ClockPattern.draw(frame, 640, 360, CAPTURED);
        double[] lumas = ClockPattern.sample(frame, 640, 360);
        for (int block = 0; block < ClockPattern.BLOCKS; block++) {
            double[] flipped = lumas.clone();
            flipped[block] = 255 - flipped[block];
            assertThat(ClockPattern.decode(flipped, CAPTURED + 1000)).as("block %d flipped", block).isEmpty();
        }
    }

    @Test
    void implausibleTimesAreRejected() {
        byte[] frame = new byte[640 * 360 * 3 / 2];
        ClockPattern.draw(frame, 640, 360, CAPTURED);
        double[] lumas = ClockPattern.sample(frame, 640, 360);
        assertThat(ClockPattern.decode(lumas, CAPTURED - 1)).as("from the future").isEmpty();
        assertThat(ClockPattern.decode(lumas, CAPTURED + ClockPattern.MAX_AGE_MS + 1)).as("too old").isEmpty();
        assertThat(ClockPattern.decode(new double[ClockPattern.BLOCKS], CAPTURED))
                .as("an all-black band is time 0 with a CRC of 0, far in the past").isEmpty();
        assertThat(ClockPattern.decode(new double[3], CAPTURED)).isEqualTo(OptionalLong.empty());
        assertThat(ClockPattern.decode(null, CAPTURED)).isEmpty();
    }

    @Test
    void aFrameTooSmallIsAnError() {
        assertThatThrownBy(() -> ClockPattern.draw(new byte[100], 640, 360, CAPTURED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("640x360");
    }
}
