package io.tribune.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LastNTest {

    @Test
    void ranksRecentSpeakersFirstThenEveryoneElseInJoinOrder() {
        assertThat(LastN.ranking(List.of("cat", "gone", "ann"), List.of("ann", "ben", "cat", "dan")))
                .containsExactly("cat", "ann", "ben", "dan");
        assertThat(LastN.ranking(List.of(), List.of("ann", "ben"))).containsExactly("ann", "ben");
    }

    @Test
    void choosesTheFirstNOthers() {
        List<String> ranking = List.of("cat", "ann", "ben", "dan");
        assertThat(LastN.chosen("ann", ranking, 2)).containsExactly("cat", "ben");
        assertThat(LastN.chosen("dan", ranking, 1)).containsExactly("cat");
        assertThat(LastN.chosen("cat", ranking, 1)).containsExactly("ann");
        assertThat(LastN.chosen("ann", ranking, 0)).isEmpty();
        assertThat(LastN.chosen("ann", ranking, LastN.UNLIMITED)).containsExactly("cat", "ben", "dan");
        assertThat(LastN.chosen("ann", ranking, 10)).containsExactly("cat", "ben", "dan");
    }

    @Test
    void screenSharesAndPinnedTracksAreAlwaysForwardedCamerasOnlyWhenChosen() {
        Set<String> chosen = Set.of("cat");
        assertThat(LastN.forwards(TrackSource.CAMERA, "cat", false, chosen)).isTrue();
        assertThat(LastN.forwards(TrackSource.CAMERA, "ben", false, chosen)).isFalse();
        assertThat(LastN.forwards(TrackSource.CAMERA, "ben", true, chosen)).isTrue();
        assertThat(LastN.forwards(TrackSource.SCREEN, "ben", false, chosen)).isTrue();
        assertThat(LastN.forwards(TrackSource.MICROPHONE, "ben", false, Set.of())).isTrue();
    }
}
