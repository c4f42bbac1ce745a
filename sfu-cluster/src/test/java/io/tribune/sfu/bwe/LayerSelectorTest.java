package io.tribune.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.bwe.LayerSelector.Option;
import io.tribune.sfu.bwe.LayerSelector.Track;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerSelectorTest {

    private static final int ANY = Integer.MAX_VALUE;
    private static final List<Option> THREE = List.of(new Option(150_000, 320, 180, true),
            new Option(500_000, 640, 360, true), new Option(1_500_000, 1280, 720, true));

    private static Track track(List<Option> layers, int maxWidth, int maxHeight, int maxLayer, int current) {
        return new Track(layers, maxWidth, maxHeight, maxLayer, current);
    }

    @Test
    void picksTheHighestLayerThatFitsTheEstimate() {
        assertThat(LayerSelector.select(List.of(track(THREE, ANY, ANY, 2, 2)), 3_000_000)).containsExactly(2);
        assertThat(LayerSelector.select(List.of(track(THREE, ANY, ANY, 2, 1)), 1_000_000)).containsExactly(1);
        assertThat(LayerSelector.select(List.of(track(THREE, ANY, ANY, 2, 0)), 200_000)).containsExactly(0);
    }

    @Test
    void keepsTheLowestLayerEvenWhenNothingFits() {
        assertThat(LayerSelector.select(List.of(track(THREE, ANY, ANY, 2, 2)), 50_000)).containsExactly(0);
    }

    @Test
    void respectsTheRequestedMaximumSizeAndLayer() {
        assertThat(LayerSelector.select(List.of(track(THREE, 320, 180, 2, 2)), 10_000_000)).containsExactly(0);
        assertThat(LayerSelector.select(List.of(track(THREE, 700, ANY, 2, 2)), 10_000_000)).containsExactly(1);
        assertThat(LayerSelector.select(List.of(track(THREE, ANY, ANY, 1, 2)), 10_000_000)).containsExactly(1);
        // Smaller than any layer: the smallest, not nothing.
        assertThat(LayerSelector.select(List.of(track(THREE, 100, 100, 2, 2)), 10_000_000)).containsExactly(0);
    }

    @Test
    void skipsLayersThePublisherDoesNotSend() {
        List<Option> topOff = List.of(THREE.get(0), THREE.get(1), new Option(1_500_000, 1280, 720, false));
        assertThat(LayerSelector.select(List.of(track(topOff, ANY, ANY, 2, 2)), 10_000_000)).containsExactly(1);
        List<Option> none = List.of(new Option(0, 0, 0, false));
        assertThat(LayerSelector.select(List.of(track(none, ANY, ANY, 2, -1)), 10_000_000)).containsExactly(-1);
    }

    @Test
    void sharesTheBudgetOneStepAtATimeInOrder() {
        // 2.2 Mbps for two tracks: both medium (1.0) then the first high (+1.0 = 2.0); the second stays medium.
        int[] chosen = LayerSelector.select(List.of(track(THREE, ANY, ANY, 2, 2), track(THREE, ANY, ANY, 2, 2)),
                2_200_000);
        assertThat(chosen).containsExactly(2, 1);
    }

    @Test
    void needsHeadroomToGoUpButNotToStay() {
        // 1.55 Mbps: the high layer (1.5) fits exactly; staying on it is fine, moving up to it needs 10% more.
        assertThat(LayerSelector.select(List.of(track(List.of(THREE.get(2)), ANY, ANY, 2, 0)), 1_550_000))
                .containsExactly(0);
        assertThat(LayerSelector.select(List.of(track(THREE, ANY, ANY, 2, 2)), 1_550_000)).containsExactly(2);
        assertThat(LayerSelector.select(List.of(track(THREE, ANY, ANY, 2, 1)), 1_550_000)).containsExactly(1);
    }

    @Test
    void takesAnUnknownSizeAsHalfOfTheLayerAbove() {
        List<Option> unknown = List.of(new Option(150_000, 0, 0, true), new Option(500_000, 0, 0, true),
                new Option(1_500_000, 0, 0, true));
        assertThat(LayerSelector.select(List.of(track(unknown, 640, 360, 2, 2)), 10_000_000)).containsExactly(1);
    }
}
