package io.tribune.recording.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SpeakerTimelineTest {

    /** 100 ms windows, speaking above -45 dBFS, 6 dB margin, 8 windows to switch, 20 to hold. */
    private static final SpeakerTimeline.Settings SETTINGS = SpeakerTimeline.Settings.DEFAULT;
    private static final double LOUD = -20;
    private static final double QUIET = -60;

    private final Map<String, double[]> levels = new HashMap<>();

    private void speaks(String who, int windows, int from, int to, double level) {
        double[] a = levels.computeIfAbsent(who, k -> {
            double[] silent = new double[windows];
            Arrays.fill(silent, SpeakerTimeline.SILENCE_DB);
            return silent;
        });
        Arrays.fill(a, from, to, level);
    }

    private String[] choose(int windows, String... participants) {
        return SpeakerTimeline.choose(List.of(participants), levels, windows, SETTINGS);
    }

    @Test
    void theFirstToSpeakHasTheStageFromTheStart() {
        speaks("b", 50, 10, 50, LOUD);
        String[] speakers = choose(50, "a", "b");
        assertThat(speakers).containsOnly("b");
    }

    @Test
    void nobodySpeakingKeepsTheFirstParticipant() {
        assertThat(choose(10, "a", "b")).containsOnly("a");
    }

    @Test
    void switchesToANewSpeakerDatedBackToWhenTheyStartedTalking() {
        speaks("a", 100, 0, 40, LOUD);
        speaks("b", 100, 50, 100, LOUD);
        String[] speakers = choose(100, "a", "b");
        assertThat(speakers[49]).isEqualTo("a");
        assertThat(Arrays.copyOfRange(speakers, 50, 100)).containsOnly("b");
    }

    @Nested
    class WithHysteresis {

        @Test
        void aShortInterjectionDoesNotTakeTheStage() {
            speaks("a", 100, 0, 100, LOUD);
            speaks("b", 100, 30, 36, -5); // 0.6 s, loud, shorter than the 0.8 s switch
            assertThat(choose(100, "a", "b")).containsOnly("a");
        }

        @Test
        void aChallengerNotLouderByTheMarginDoesNotTakeTheStage() {
            speaks("a", 100, 0, 100, -30);
            speaks("b", 100, 20, 100, -27); // 3 dB louder only
            assertThat(choose(100, "a", "b")).containsOnly("a");
        }

        @Test
        void aNewSpeakerKeepsTheStageForTheHoldTimeEvenIfTheFirstComesBackAtOnce() {
            speaks("a", 200, 0, 20, LOUD);
            speaks("b", 200, 20, 30, LOUD);
            speaks("a", 200, 30, 200, LOUD);
            speaks("b", 200, 30, 200, QUIET);
            String[] speakers = choose(200, "a", "b");
            assertThat(speakers[25]).isEqualTo("b");
            // b holds for 20 windows (2 s) from 20, then a takes over again.
            assertThat(Arrays.copyOfRange(speakers, 20, 40)).containsOnly("b");
            assertThat(speakers[60]).isEqualTo("a");
            long changes = java.util.stream.IntStream.range(1, 200)
                    .filter(i -> !speakers[i].equals(speakers[i - 1])).count();
            assertThat(changes).isEqualTo(2);
        }

        @Test
        void speakersTakingOneSecondTurnsMoveTheStageAtMostOnceAHoldTime() {
            for (int s = 0; s < 30; s++) {
                speaks(s % 2 == 0 ? "a" : "b", 300, s * 10, s * 10 + 10, LOUD);
            }
            String[] speakers = choose(300, "a", "b");
            int runStart = 0;
            int changes = 0;
            for (int i = 1; i < 300; i++) {
                if (!speakers[i].equals(speakers[i - 1])) {
                    if (changes > 0) {
                        assertThat(i - runStart).as("stage held from %d to %d", runStart, i)
                                .isGreaterThanOrEqualTo(SETTINGS.holdWindows());
                    }
                    runStart = i;
                    changes++;
                }
            }
            assertThat(changes).isBetween(1, 300 / SETTINGS.holdWindows());
        }
    }
}
