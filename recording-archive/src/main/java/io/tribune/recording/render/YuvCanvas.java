package io.tribune.recording.render;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A YUV 4:2:0 picture in three planes (BT.601, limited range: what decoders give and swscale assumes), the
 * composed frame's canvas: pictures are copied in with {@link #blit}, names and placeholders alpha-blended from
 * {@link Overlay}s drawn once with Java2D. Composing in the encoder's own format saves two colour conversions per
 * frame. Positions and sizes are even (chroma is subsampled 2x2). Not thread-safe.
 */
final class YuvCanvas {

    /** A picture in the same layout: planes of {@code width} x {@code height} and half that for chroma. */
    record Image(int width, int height, byte[] y, byte[] u, byte[] v) {
        static Image allocate(int width, int height) {
            return new Image(width, height, new byte[width * height], new byte[width / 2 * (height / 2)],
                    new byte[width / 2 * (height / 2)]);
        }
    }

    /**
     * An ARGB image converted once into YUV with its alpha (per pixel for luma, per 2x2 block for chroma), to be
     * blended into the canvas each frame.
     */
    static final class Overlay {
        final Image image;
        final byte[] alpha;
        final byte[] chromaAlpha;
        final boolean opaque;

        Overlay(BufferedImage argb) {
            int w = argb.getWidth() & ~1;
            int h = argb.getHeight() & ~1;
            image = Image.allocate(w, h);
            alpha = new byte[w * h];
            chromaAlpha = new byte[w / 2 * (h / 2)];
            int[] pixels = argb.getRGB(0, 0, w, h, null, 0, w);
            boolean allOpaque = true;
            for (int i = 0; i < w * h; i++) {
                int p = pixels[i];
                int a = p >>> 24;
                alpha[i] = (byte) a;
                allOpaque &= a == 255;
                image.y()[i] = (byte) luma(p);
            }
            for (int cy = 0; cy < h / 2; cy++) {
                for (int cx = 0; cx < w / 2; cx++) {
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    int a = 0;
                    for (int k = 0; k < 4; k++) {
                        int p = pixels[(2 * cy + (k >> 1)) * w + 2 * cx + (k & 1)];
                        int pa = p >>> 24;
                        r += (p >> 16 & 0xFF) * pa;
                        g += (p >> 8 & 0xFF) * pa;
                        b += (p & 0xFF) * pa;
                        a += pa;
                    }
                    int c = cy * (w / 2) + cx;
                    chromaAlpha[c] = (byte) (a / 4);
                    int rgb = a == 0 ? 0 : (r / a) << 16 | (g / a) << 8 | b / a;
                    image.u()[c] = (byte) chromaU(rgb);
                    image.v()[c] = (byte) chromaV(rgb);
                }
            }
            opaque = allOpaque;
        }
    }

    private final int width;
    private final int height;
    private final Image frame;

    YuvCanvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.frame = Image.allocate(width, height);
    }

    /** Fills the whole canvas with {@code rgb}. */
    void fill(int rgb) {
        Arrays.fill(frame.y(), (byte) luma(rgb));
        Arrays.fill(frame.u(), (byte) chromaU(rgb));
        Arrays.fill(frame.v(), (byte) chromaV(rgb));
    }

    void fillRect(int x, int y, int w, int h, int rgb) {
        byte luma = (byte) luma(rgb);
        byte u = (byte) chromaU(rgb);
        byte v = (byte) chromaV(rgb);
        for (int row = y; row < y + h; row++) {
            Arrays.fill(frame.y(), row * width + x, row * width + x + w, luma);
        }
        int cw = width / 2;
        for (int row = y / 2; row < (y + h) / 2; row++) {
            Arrays.fill(frame.u(), row * cw + x / 2, row * cw + (x + w) / 2, u);
            Arrays.fill(frame.v(), row * cw + x / 2, row * cw + (x + w) / 2, v);
        }
    }

    /** Copies the {@code w} x {@code h} part at ({@code sx}, {@code sy}) of {@code image} to ({@code x}, {@code y}). */
    void blit(Image image, int sx, int sy, int w, int h, int x, int y) {
        for (int row = 0; row < h; row++) {
            System.arraycopy(image.y(), (sy + row) * image.width() + sx, frame.y(), (y + row) * width + x, w);
        }
        int icw = image.width() / 2;
        int cw = width / 2;
        for (int row = 0; row < h / 2; row++) {
            System.arraycopy(image.u(), (sy / 2 + row) * icw + sx / 2, frame.u(), (y / 2 + row) * cw + x / 2, w / 2);
            System.arraycopy(image.v(), (sy / 2 + row) * icw + sx / 2, frame.v(), (y / 2 + row) * cw + x / 2, w / 2);
        }
    }

    /** Blends {@code overlay} at ({@code x}, {@code y}), clipped to the canvas. */
    void blend(Overlay overlay, int x, int y) {
        Image image = overlay.image;
        int w = Math.min(image.width(), width - x);
        int h = Math.min(image.height(), height - y);
        if (w <= 0 || h <= 0) {
            return;
        }
        if (overlay.opaque) {
            blit(image, 0, 0, w & ~1, h & ~1, x, y);
            return;
        }
        for (int row = 0; row < h; row++) {
            int src = row * image.width();
            int dst = (y + row) * width + x;
            mix(image.y(), overlay.alpha, src, frame.y(), dst, w);
        }
        int icw = image.width() / 2;
        int cw = width / 2;
        for (int row = 0; row < h / 2; row++) {
            int src = row * icw;
            int dst = (y / 2 + row) * cw + x / 2;
            mix(image.u(), overlay.chromaAlpha, src, frame.u(), dst, w / 2);
            mix(image.v(), overlay.chromaAlpha, src, frame.v(), dst, w / 2);
        }
    }

    private static void mix(byte[] src, byte[] alpha, int from, byte[] dst, int to, int n) {
        for (int i = 0; i < n; i++) {
            int a = alpha[from + i] & 0xFF;
            if (a == 0) {
                continue;
            }
            int s = src[from + i] & 0xFF;
            int d = dst[to + i] & 0xFF;
            dst[to + i] = (byte) ((s * a + d * (255 - a) + 127) / 255);
        }
    }

    /** The canvas as YUV420P, planes one after the other (the layout FFmpeg's alignment 1 gives). */
    void copyTo(ByteBuffer out) {
        out.clear();
        out.put(frame.y()).put(frame.u()).put(frame.v());
        out.clear();
    }

    /** The canvas as a BGR image (for thumbnails and the poster). */
    BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int c = (frame.y()[y * width + x] & 0xFF) - 16;
                int ci = (y / 2) * (width / 2) + x / 2;
                int d = (frame.u()[ci] & 0xFF) - 128;
                int e = (frame.v()[ci] & 0xFF) - 128;
                int r = clip((298 * c + 409 * e + 128) >> 8);
                int g = clip((298 * c - 100 * d - 208 * e + 128) >> 8);
                int b = clip((298 * c + 516 * d + 128) >> 8);
                row[x] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int clip(int value) {
        return Math.max(0, Math.min(255, value));
    }

    // BT.601 limited range, integer form (as swscale's default RGB -> YUV).
    static int luma(int rgb) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
    }

    static int chromaU(int rgb) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        return ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
    }

    static int chromaV(int rgb) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        return ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
    }
}
