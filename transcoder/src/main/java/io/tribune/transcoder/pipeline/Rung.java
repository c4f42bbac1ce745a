package io.tribune.transcoder.pipeline;

import io.tribune.common.media.IngestFrame;

/**
 * One rendition of the ABR ladder.
 *
 * @param name        the rendition name the packager uses in paths ({@code 720p}); {@link IngestFrame#NAME} syntax
 * @param width       pixels, even
 * @param height      pixels, even
 * @param bitrateKbps x264's target bitrate, kbit/s
 */
public record Rung(String name, int width, int height, int bitrateKbps) {

    public Rung {
        if (name == null || !IngestFrame.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a rung name must match " + IngestFrame.NAME.pattern() + ": " + name);
        }
        if (width < 16 || height < 16 || width > 7680 || height > 4320 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("rung " + name + ": size must be even, 16x16 to 7680x4320: "
                    + width + "x" + height);
        }
        if (bitrateKbps < 50 || bitrateKbps > 100_000) {
            throw new IllegalArgumentException("rung " + name + ": bitrate must be 50-100000 kbps: " + bitrateKbps);
        }
    }
}
