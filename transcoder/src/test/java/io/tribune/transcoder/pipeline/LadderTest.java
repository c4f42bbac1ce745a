package io.tribune.transcoder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LadderTest {

    @Test
    void defaultLadderIsTheIssuesFourRungsHighestFirst() {
        assertThat(Ladder.DEFAULT.rungs()).extracting(Rung::name).containsExactly("1080p", "720p", "480p", "360p");
    }

    @Test
    void dropsRungsAboveTheSourceNeverUpscaling() {
        assertThat(Ladder.DEFAULT.forSource(1280, 720).rungs()).extracting(Rung::name)
                .containsExactly("720p", "480p", "360p");
        assertThat(Ladder.DEFAULT.forSource(1920, 1080).rungs()).hasSize(4);
        assertThat(Ladder.DEFAULT.forSource(854, 480).top().name()).isEqualTo("480p");
    }

    @Test
    void aSourceSmallerThanEveryRungGetsOneRungAtItsOwnSize() {
        Ladder small = Ladder.DEFAULT.forSource(321, 241);
        assertThat(small.rungs()).hasSize(1);
        Rung rung = small.top();
        assertThat(rung.height()).isEqualTo(240);
        assertThat(rung.width()).isEqualTo(320);
        assertThat(rung.bitrateKbps()).isBetween(50, 800);
    }

    @Test
    void sortsRungsByHeightAndRefusesDuplicates() {
        Ladder ladder = new Ladder(List.of(new Rung("a", 320, 180, 200), new Rung("b", 640, 360, 600)));
        assertThat(ladder.top().name()).isEqualTo("b");
        assertThatThrownBy(() -> new Ladder(List.of(new Rung("a", 320, 180, 200), new Rung("a", 640, 360, 600))))
                .hasMessageContaining("two rungs");
        assertThatThrownBy(() -> new Ladder(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void refusesOddSizesAndBadNames() {
        assertThatThrownBy(() -> new Rung("x", 641, 360, 600)).hasMessageContaining("even");
        assertThatThrownBy(() -> new Rung("../x", 640, 360, 600)).hasMessageContaining("name");
        assertThatThrownBy(() -> new Rung("x", 640, 360, 10)).hasMessageContaining("bitrate");
    }
}
