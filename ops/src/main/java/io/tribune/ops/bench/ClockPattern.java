package io.tribune.ops.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The wall clock drawn into a video frame as big black and white blocks, so that a player can read, from the picture
 * it displays, when the frame was captured. 48 blocks in 4 rows of 12 at the top of the frame carry the low 40 bits
 * of the capture time in milliseconds since the epoch (most significant first) and a CRC-8 of those 5 bytes. Blocks
 * are a twelfth of the frame wide and a ninth high (53x40 px at 640x360, 26x20 px in the 180p rung), white (Y 235)
 * for 1 and black (Y 16) for 0, so x264 at the lowest rung keeps them apart at a mid-grey threshold. The player
 * reports the mean luma of each block's inner half (the page does what {@link #sample} does); {@link #decode} checks
 * the CRC and that the time is plausible (not in the future, at most a minute old).
 */
final class ClockPattern {

    static final int COLUMNS = 12;
    static final int ROWS = 4;
    static final int BLOCKS = COLUMNS * ROWS;
    /** Block size and band position as fractions of the frame, so any rung's size reads the same. */
    static final double BLOCK_WIDTH = 1.0 / COLUMNS;
    static final double BLOCK_HEIGHT = 1.0 / 9;
    static final double TOP = 1.0 / 18;
    static final long MAX_AGE_MS = 60_000;
    private static final long MASK = (1L << 40) - 1;
    private static final int WHITE = 235;
    private static final int BLACK = 16;
    private static final int BACKGROUND = 90;

    private ClockPattern() {
    }

    /** The geometry as JSON for the player page. */
    static String geometryJson() {
        return String.format(Locale.ROOT, "{\"columns\":%d,\"rows\":%d,\"blockWidth\":%.6f,\"blockHeight\":%.6f,"
                + "\"top\":%.6f}", COLUMNS, ROWS, BLOCK_WIDTH, BLOCK_HEIGHT, TOP);
    }

    /** The 48 bits for a time: 40 of the milliseconds, then their CRC-8. */
    static boolean[] bits(long epochMillis) {
        long low = epochMillis & MASK;
        byte[] bytes = new byte[5];
        for (int i = 0; i < 5; i++) {
            bytes[i] = (byte) (low >>> (8 * (4 - i)));
        }
        long word = (low << 8) | crc8(bytes);
        boolean[] bits = new boolean[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            bits[i] = ((word >>> (BLOCKS - 1 - i)) & 1) == 1;
        }
        return bits;
    }

    /**
     * Writes a grey I420 frame with the time's blocks into {@code frame} (width x height luma, then the two chroma
     * planes at half size; chroma neutral).
     */
    static void draw(byte[] frame, int width, int height, long epochMillis) {
        int lumaSize = width * height;
        if (frame.length < lumaSize * 3 / 2) {
            throw new IllegalArgumentException("an I420 frame of " + width + "x" + height + " needs "
                    + lumaSize * 3 / 2 + " bytes");
        }
        Arrays.fill(frame, 0, lumaSize, (byte) BACKGROUND);
        Arrays.fill(frame, lumaSize, lumaSize * 3 / 2, (byte) 128);
        boolean[] bits = bits(epochMillis);
        for (int b = 0; b < BLOCKS; b++) {
            int x0 = (int) Math.round(b % COLUMNS * BLOCK_WIDTH * width);
            int x1 = (int) Math.round((b % COLUMNS + 1) * BLOCK_WIDTH * width);
            int y0 = (int) Math.round((TOP + b / COLUMNS * BLOCK_HEIGHT) * height);
            int y1 = (int) Math.round((TOP + (b / COLUMNS + 1) * BLOCK_HEIGHT) * height);
            byte value = (byte) (bits[b] ? WHITE : BLACK);
            for (int y = y0; y < y1; y++) {
                Arrays.fill(frame, y * width + x0, y * width + x1, value);
            }
        }
    }

    /**
     * Mean luma (0-255) of each block's inner half, from a luma plane of any size: what the player page computes
     * from the canvas (there from RGB: 0.299 R + 0.587 G + 0.114 B).
     */
    static double[] sample(byte[] luma, int width, int height) {
        double[] means = new double[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            double left = (b % COLUMNS + 0.25) * BLOCK_WIDTH * width;
            double top = (TOP + (b / COLUMNS + 0.25) * BLOCK_HEIGHT) * height;
            int x0 = (int) Math.floor(left);
            int y0 = (int) Math.floor(top);
            int x1 = Math.max(x0 + 1, (int) Math.floor(left + BLOCK_WIDTH * width / 2));
            int y1 = Math.max(y0 + 1, (int) Math.floor(top + BLOCK_HEIGHT * height / 2));
            long sum = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum += luma[y * width + x] & 0xff;
                }
            }
            means[b] = sum / (double) ((x1 - x0) * (y1 - y0));
        }
        return means;
    }

    /**
     * The capture time in the blocks' mean lumas, if the CRC matches and the time is at most {@link #MAX_AGE_MS}
     * before {@code nowMillis} (and not after it); else empty.
     */
    static OptionalLong decode(double[] lumas, long nowMillis) {
        if (lumas == null || lumas.length != BLOCKS) {
            return OptionalLong.empty();
        }
        long word = 0;
        for (double luma : lumas) {
            word = (word << 1) | (luma >= 128 ? 1 : 0);
        }
        long low = word >>> 8;
        byte[] bytes = new byte[5];
        for (int i = 0; i < 5; i++) {
            bytes[i] = (byte) (low >>> (8 * (4 - i)));
        }
        if (crc8(bytes) != (int) (word & 0xff)) {
            return OptionalLong.empty();
        }
        // The full time: the one with these low 40 bits nearest before now (2^40 ms is 34 years).
        long full = (nowMillis & ~MASK) | low;
        if (full > nowMillis) {
            full -= 1L << 40;
        }
        long age = nowMillis - full;
        return age >= 0 && age <= MAX_AGE_MS ? OptionalLong.of(full) : OptionalLong.empty();
    }

    /** CRC-8, polynomial 0x07 (as in ATM HEC, without its final XOR). */
    static int crc8(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= b & 0xff;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
            }
        }
        return crc;
    }
}
