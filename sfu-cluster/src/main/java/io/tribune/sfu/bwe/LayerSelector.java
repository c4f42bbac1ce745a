package io.tribune.sfu.bwe;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses, for each video track one subscriber receives, the simulcast layer to forward: the largest one the
 * subscriber's preference allows (maximum width and height, highest layer), as long as all of them together fit
 * the subscriber's downlink estimate. Every track gets at least its lowest allowed layer (video is kept, at its
 * smallest, rather than dropped); then tracks are raised one layer at a time, in the given order (the caller puts
 * the most wanted first), while the budget allows. Raising a track above the layer it gets now needs 10%
 * headroom, so that the choice does not flap at the edge of the estimate.
 *
 * <p>Stateless and thread-safe.
 */
public final class LayerSelector {

    private static final double UPGRADE_HEADROOM = 1.1;

    private LayerSelector() {
    }

    /**
     * A layer as the selector sees it.
     *
     * @param bitrateBps what it costs
     * @param width pixels, 0 when unknown
     * @param height pixels, 0 when unknown
     * @param active whether the publisher sends it now
     */
    public record Option(long bitrateBps, int width, int height, boolean active) {
    }

    /**
     * One track to choose for.
     *
     * @param layers lowest first
     * @param maxWidth the subscriber's maximum width ({@link Integer#MAX_VALUE}: none)
     * @param maxHeight the subscriber's maximum height
     * @param maxLayer the highest layer index the subscriber wants
     * @param current the layer forwarded now, or -1
     */
    public record Track(List<Option> layers, int maxWidth, int maxHeight, int maxLayer, int current) {
    }

    /** @return per track, the layer index to forward, or -1 where no layer is active */
    public static int[] select(List<Track> tracks, long budgetBps) {
        int n = tracks.size();
        int[] chosen = new int[n];
        List<List<Integer>> allowed = new ArrayList<>();
        long spent = 0;
        for (int i = 0; i < n; i++) {
            List<Integer> ok = allowedLayers(tracks.get(i));
            allowed.add(ok);
            chosen[i] = ok.isEmpty() ? -1 : ok.get(0);
            if (chosen[i] >= 0) {
                spent += tracks.get(i).layers().get(chosen[i]).bitrateBps();
            }
        }
        boolean raised = true;
        int[] step = new int[n];
        while (raised) {
            raised = false;
            for (int i = 0; i < n; i++) {
                List<Integer> ok = allowed.get(i);
                if (step[i] + 1 >= ok.size()) {
                    continue;
                }
                Track track = tracks.get(i);
                int next = ok.get(step[i] + 1);
                long nextCost = track.layers().get(next).bitrateBps();
                if (next > track.current()) {
                    nextCost = (long) (nextCost * UPGRADE_HEADROOM);
                }
                long extra = nextCost - track.layers().get(chosen[i]).bitrateBps();
                if (spent + extra <= budgetBps) {
                    spent += track.layers().get(next).bitrateBps() - track.layers().get(chosen[i]).bitrateBps();
                    chosen[i] = next;
                    step[i]++;
                    raised = true;
                }
            }
        }
        return chosen;
    }

    /**
     * The active layers within the preference, lowest first; when the preference excludes every active layer,
     * the lowest active one alone. A layer of unknown size is taken as half the size of the one above it, and
     * the top one as 1280x720.
     */
    static List<Integer> allowedLayers(Track track) {
        List<Option> layers = track.layers();
        List<Integer> out = new ArrayList<>();
        int lowestActive = -1;
        for (int i = 0; i < layers.size(); i++) {
            Option layer = layers.get(i);
            if (!layer.active()) {
                continue;
            }
            if (lowestActive < 0) {
                lowestActive = i;
            }
            int width = layer.width();
            int height = layer.height();
            if (width <= 0 || height <= 0) {
                int shift = layers.size() - 1 - i;
                width = 1280 >> shift;
                height = 720 >> shift;
            }
            if (i <= track.maxLayer() && width <= track.maxWidth() && height <= track.maxHeight()) {
                out.add(i);
            }
        }
        if (out.isEmpty() && lowestActive >= 0) {
            out.add(lowestActive);
        }
        return out;
    }
}
