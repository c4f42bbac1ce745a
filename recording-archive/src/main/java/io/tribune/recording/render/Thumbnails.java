package io.tribune.recording.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The scrub-bar thumbnails: one small frame every interval into a sprite grid (JPEG), and a WebVTT file whose cues
 * name each cell as {@code thumbnails.jpg#xywh=X,Y,W,H} (a media fragment relative to the .vtt). Not thread-safe.
 */
final class Thumbnails {

    private final long intervalMillis;
    private final int width;
    private final int height;
    private final int columns;
    private final int count;
    private final long spanMillis;
    private final BufferedImage sprite;
    private final Graphics2D g;
    private int taken;

    Thumbnails(long spanMillis, long intervalMillis, int width, int height, int columns) {
        this.spanMillis = spanMillis;
        this.intervalMillis = intervalMillis;
        this.width = width;
        this.height = height;
        this.count = (int) Math.max(1, (spanMillis + intervalMillis - 1) / intervalMillis);
        this.columns = Math.min(columns, count);
        int rows = (count + this.columns - 1) / this.columns;
        sprite = new BufferedImage(this.columns * width, rows * height, BufferedImage.TYPE_3BYTE_BGR);
        g = sprite.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }

    /** True when the frame shown at {@code atMillis} should be the next cell. */
    boolean due(long atMillis) {
        return taken < count && atMillis >= taken * intervalMillis;
    }

    /** Takes {@code frame} as the next cell. */
    void take(BufferedImage frame) {
        int x = (taken % columns) * width;
        int y = (taken / columns) * height;
        g.drawImage(frame, x, y, width, height, null);
        taken++;
    }

    void write(Path spriteFile, Path vttFile, String spriteName) throws IOException {
        g.dispose();
        writeJpeg(sprite, spriteFile);
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        for (int i = 0; i < Math.max(taken, 1); i++) {
            long from = i * intervalMillis;
            long to = Math.min(spanMillis, (i + 1) * intervalMillis);
            vtt.append('\n').append(time(from)).append(" --> ").append(time(Math.max(to, from + 1))).append('\n')
                    .append(spriteName).append("#xywh=").append((i % columns) * width).append(',')
                    .append((i / columns) * height).append(',').append(width).append(',').append(height)
                    .append('\n');
        }
        Files.writeString(vttFile, vtt, StandardCharsets.UTF_8);
    }

    static String time(long millis) {
        return String.format("%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millis % 1000);
    }

    static void writeJpeg(BufferedImage image, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
