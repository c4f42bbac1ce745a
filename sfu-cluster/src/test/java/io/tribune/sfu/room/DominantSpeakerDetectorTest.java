package io.tribune.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Synthetic level sequences, 100 ms ticks of five 20 ms packets each: who becomes dominant, when, and how often it
 * changes.
 */
class DominantSpeakerDetectorTest {

    private static final DominantSpeakerDetector.Activity SPEECH = new DominantSpeakerDetector.Activity(5, 5, 0.6);
    /** Packets that all carry a silent level (a microphone that sends comfort noise). */
    private static final DominantSpeakerDetector.Activity QUIET = new DominantSpeakerDetector.Activity(5, 0, 0);

    private final DominantSpeakerDetector detector = new DominantSpeakerDetector(
            DominantSpeakerDetector.Settings.DEFAULT);
    private final List<String> changes = new ArrayList<>();
    private final List<Long> changeTimes = new ArrayList<>();
    private long now = 1_000_000;

    /** Runs {@code ticks} ticks; {@code who} gives each tick's activity by participant. */
    private void run(int ticks, IntFunction<Map<String, DominantSpeakerDetector.Activity>> who) {
        for (int i = 0; i < ticks; i++) {
            now += 100;
            detector.tick(who.apply(i), now).ifPresent(id -> {
                changes.add(id);
                changeTimes.add(now);
            });
        }
    }

    private static Map<String, DominantSpeakerDetector.Activity> of(Object... idsAndActivities) {
        Map<String, DominantSpeakerDetector.Activity> map = new LinkedHashMap<>();
        for (int i = 0; i < idsAndActivities.length; i += 2) {
            map.put((String) idsAndActivities[i], (DominantSpeakerDetector.Activity) idsAndActivities[i + 1]);
        }
        return map;
    }

    @Nested
    class WhenNobodySpeaks {

        @Test
        void silenceNeverWins() {
            run(100, i -> of("ann", QUIET, "ben", QUIET));
            run(100, i -> Map.of());
            assertThat(changes).isEmpty();
            assertThat(detector.dominant()).isNull();
            assertThat(detector.speaking()).isEmpty();
        }

        @Test
        void aCoughDoesNotMakeADominantSpeaker() {
            run(20, i -> of("ann", QUIET, "ben", QUIET));
            // 400 ms of loud sound, then quiet again.
            run(30, i -> of("ann", QUIET, "ben", i < 4 ? SPEECH : QUIET));
            assertThat(changes).isEmpty();
        }

        @Test
        void someoneWhoSpeaksBecomesDominantWithinASecondButNotAtOnce() {
            run(10, i -> of("ann", QUIET, "ben", QUIET));
            long start = now;
            run(30, i -> of("ann", QUIET, "ben", SPEECH));
            assertThat(changes).containsExactly("ben");
            assertThat(changeTimes.get(0) - start).isBetween(400L, 1000L);
            assertThat(detector.speaking()).extracting(Map.Entry::getKey).containsExactly("ben");
            assertThat(detector.speaking().get(0).getValue()).isBetween(0.5, 0.7);
        }

        @Test
        void halfTheFramesLoudIsStillSpeech() {
            // Speech with gaps between syllables: 3 of 5 packets over the threshold.
            DominantSpeakerDetector.Activity syllables = new DominantSpeakerDetector.Activity(5, 3, 0.5);
            run(30, i -> of("ann", syllables, "ben", QUIET));
            assertThat(changes).containsExactly("ann");
        }
    }

    @Nested
    class WhenSomeoneIsDominant {

        @Test
        void theDominantSpeakerStaysThroughSilence() {
            run(30, i -> of("ann", SPEECH, "ben", QUIET));
            run(200, i -> of("ann", QUIET, "ben", QUIET));
            assertThat(changes).containsExactly("ann");
            assertThat(detector.dominant()).isEqualTo("ann");
        }

        @Test
        void aNewSpeakerTakesOverSoonAfterTheDominantOneStops() {
            run(50, i -> of("ann", SPEECH, "ben", QUIET));
            long turn = now;
            run(50, i -> of("ann", QUIET, "ben", SPEECH));
            assertThat(changes).containsExactly("ann", "ben");
            assertThat(changeTimes.get(1) - turn).isBetween(400L, 1500L);
        }

        @Test
        void shortInterjectionsWhileTheDominantSpeakerTalksDoNotFlap() {
            run(50, i -> of("ann", SPEECH, "ben", QUIET));
            // Ben says "yes", "right", "mm" (300 ms each, 700 ms apart) for 10 s while ann keeps talking.
            run(100, i -> of("ann", SPEECH, "ben", i % 10 < 3 ? SPEECH : QUIET));
            assertThat(changes).containsExactly("ann");
        }

        @Test
        void coughsDuringAPauseDoNotTakeOver() {
            run(50, i -> of("ann", SPEECH, "ben", QUIET));
            run(100, i -> of("ann", QUIET, "ben", i % 20 < 3 ? SPEECH : QUIET));
            assertThat(changes).containsExactly("ann");
        }

        @Test
        void crosstalkChangesAtMostOncePerDwellTime() {
            run(20, i -> of("ann", SPEECH));
            // Both talk over each other in alternating bursts of 0.6 s for 20 s.
            run(200, i -> (i / 6) % 2 == 0 ? of("ann", SPEECH, "ben", QUIET) : of("ann", QUIET, "ben", SPEECH));
            for (int i = 1; i < changeTimes.size(); i++) {
                assertThat(changeTimes.get(i) - changeTimes.get(i - 1)).isGreaterThanOrEqualTo(1000L);
            }
            assertThat(changes.size()).isLessThanOrEqualTo(21);
        }

        @Test
        void aLouderLongerSpeakerTakesOverFromOneWhoOnlyMurmurs() {
            DominantSpeakerDetector.Activity murmur = new DominantSpeakerDetector.Activity(5, 3, 0.1);
            run(30, i -> of("ann", murmur, "ben", QUIET));
            assertThat(changes).containsExactly("ann");
            run(40, i -> of("ann", murmur, "ben", SPEECH));
            assertThat(changes).containsExactly("ann", "ben");
        }

        @Test
        void aMutedDominantSpeakerIsReplacedByWhoeverSpeaks() {
            run(50, i -> of("ann", SPEECH, "ben", QUIET));
            detector.silence("ann");
            long muted = now;
            run(20, i -> of("ben", SPEECH));
            assertThat(changes).containsExactly("ann", "ben");
            assertThat(changeTimes.get(1) - muted).isLessThanOrEqualTo(1000L);
        }

        @Test
        void aDominantSpeakerWhoLeavesLeavesNobodyDominantUntilSomeoneSpeaks() {
            run(50, i -> of("ann", SPEECH, "ben", QUIET));
            detector.remove("ann");
            assertThat(detector.dominant()).isNull();
            run(50, i -> of("ben", QUIET));
            assertThat(detector.dominant()).isNull();
            run(20, i -> of("ben", SPEECH));
            assertThat(detector.dominant()).isEqualTo("ben");
        }
    }
}
