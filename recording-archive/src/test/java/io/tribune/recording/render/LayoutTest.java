package io.tribune.recording.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {

    private static boolean overlap(Layout.Tile a, Layout.Tile b) {
        return a.x() < b.x() + b.width() && b.x() < a.x() + a.width() && a.y() < b.y() + b.height()
                && b.y() < a.y() + a.height();
    }

    private static void assertInsideAndApart(List<Layout.Tile> tiles, int width, int height) {
        for (Layout.Tile tile : tiles) {
            assertThat(tile.x()).isNotNegative();
            assertThat(tile.y()).isNotNegative();
            assertThat(tile.x() + tile.width()).isLessThanOrEqualTo(width);
            assertThat(tile.y() + tile.height()).isLessThanOrEqualTo(height);
            assertThat(tile.width() % 2).isZero();
            assertThat(tile.height() % 2).isZero();
            for (Layout.Tile other : tiles) {
                if (other != tile) {
                    assertThat(overlap(tile, other)).as("%s overlaps %s", tile, other).isFalse();
                }
            }
        }
    }

    @Test
    void aSingleParticipantFillsTheCanvas() {
        List<Layout.Tile> tiles = Layout.tiles(1280, 720, List.of("a"), "a", null);
        assertThat(tiles).containsExactly(new Layout.Tile("a", false, true, 0, 0, 1280, 720, Layout.Fit.FIT));
    }

    @Test
    void theActiveSpeakerIsLargeAndTheOthersAreTilesBelow() {
        List<Layout.Tile> tiles = Layout.tiles(1280, 720, List.of("a", "b", "c"), "b", null);
        assertThat(tiles.get(0).participantId()).isEqualTo("b");
        assertThat(tiles.get(0).stage()).isTrue();
        assertThat(tiles).extracting(Layout.Tile::participantId).containsExactly("b", "a", "c");
        assertThat(tiles.get(0).width() * tiles.get(0).height())
                .isGreaterThan(4 * tiles.get(1).width() * tiles.get(1).height());
        assertThat(tiles.get(1).y()).isGreaterThanOrEqualTo(tiles.get(0).height());
        assertInsideAndApart(tiles, 1280, 720);
    }

    @Test
    void aScreenShareTakesTheStageWithTheSpeakerBesideItFirst() {
        List<Layout.Tile> tiles = Layout.tiles(1280, 720, List.of("a", "b", "c"), "c", "a");
        assertThat(tiles.get(0).screen()).isTrue();
        assertThat(tiles.get(0).participantId()).isEqualTo("a");
        assertThat(tiles.get(0).width()).isGreaterThanOrEqualTo(900);
        assertThat(tiles.subList(1, tiles.size())).extracting(Layout.Tile::participantId)
                .containsExactly("c", "a", "b");
        assertThat(tiles.get(1).y()).isZero();
        assertThat(tiles.get(1).x()).isGreaterThanOrEqualTo(tiles.get(0).width());
        assertInsideAndApart(tiles, 1280, 720);
    }

    @Test
    void manyParticipantsStillFitWithoutOverlap() {
        List<String> many = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "p" + i).toList();
        assertInsideAndApart(Layout.tiles(1280, 720, many, "p5", null), 1280, 720);
        assertInsideAndApart(Layout.tiles(1280, 720, many, "p5", "p7"), 1280, 720);
        assertInsideAndApart(Layout.tiles(640, 360, many, "p0", null), 640, 360);
    }
}
