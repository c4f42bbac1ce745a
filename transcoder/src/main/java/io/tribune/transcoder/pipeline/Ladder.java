package io.tribune.transcoder.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ABR ladder: rungs from the highest to the lowest. Immutable.
 *
 * <p>The ladder never upscales (DECISIONS, "Town-hall delivery"): {@link #forSource} drops the rungs taller than
 * the source. A source smaller than every rung gets one rung at its own size (rounded down to even), with the
 * lowest rung's bitrate scaled by area.
 */
public record Ladder(List<Rung> rungs) {

    /** 1080p/720p/480p/360p, the default. */
    public static final Ladder DEFAULT = new Ladder(List.of(
            new Rung("1080p", 1920, 1080, 5000),
            new Rung("720p", 1280, 720, 2800),
            new Rung("480p", 854, 480, 1400),
            new Rung("360p", 640, 360, 800)));

    public Ladder {
        if (rungs == null || rungs.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rung");
        }
        Set<String> names = new HashSet<>();
        for (Rung rung : rungs) {
            if (!names.add(rung.name())) {
                throw new IllegalArgumentException("two rungs are named " + rung.name());
            }
        }
        List<Rung> sorted = new ArrayList<>(rungs);
        sorted.sort(Comparator.comparingInt(Rung::height).reversed());
        rungs = List.copyOf(sorted);
    }

    public Rung top() {
        return rungs.get(0);
    }

    /** The rungs no taller than the source (never upscaling). */
    public Ladder forSource(int sourceWidth, int sourceHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            return this;
        }
        List<Rung> kept = rungs.stream().filter(r -> r.height() <= sourceHeight).toList();
        if (!kept.isEmpty()) {
            return new Ladder(kept);
        }
        Rung lowest = rungs.get(rungs.size() - 1);
        int height = Math.max(16, sourceHeight & ~1);
        int width = Math.max(16, Math.min(sourceWidth, (int) Math.round(height * lowest.width()
                / (double) lowest.height())) & ~1);
        int bitrate = (int) Math.max(50, (long) lowest.bitrateKbps() * width * height
                / ((long) lowest.width() * lowest.height()));
        return new Ladder(List.of(new Rung(height + "p", width, height, bitrate)));
    }
}
