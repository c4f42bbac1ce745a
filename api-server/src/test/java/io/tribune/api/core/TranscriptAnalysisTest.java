package io.tribune.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TranscriptAnalysisTest {

    private static final List<TranscriptSegment> PLANNING = FixedTranscript.segments();
    private static final Instant ORIGIN = FixedTranscript.ORIGIN;

    @Nested
    class Chapters {

        @Test
        void splitsThePlanningMeetingAtItsTwoLongPausesAndTitlesEachByItsTopic() {
            List<TranscriptAnalysis.Chapter> chapters = TranscriptAnalysis.chapters(PLANNING, ORIGIN,
                    Duration.ofSeconds(5), Duration.ofSeconds(40));

            assertThat(chapters).extracting(TranscriptAnalysis.Chapter::offsetMillis)
                    .containsExactly(0L, 82_000L, 165_000L);
            assertThat(chapters).extracting(TranscriptAnalysis.Chapter::endOffsetMillis)
                    .containsExactly(70_000L, 150_000L, 230_000L);
            assertThat(chapters.get(0).title()).containsIgnoringCase("budget");
            assertThat(chapters.get(1).title()).containsIgnoringCase("engineers");
            assertThat(chapters.get(2).title()).containsIgnoringCase("launch");
            assertThat(chapters).allSatisfy(c -> assertThat(c.title().split(", ")).hasSizeBetween(1, 3));
        }

        @Test
        void keepsOneChapterWhenNoPauseIsLongEnoughAndNoSpeakerTalksAfterTwiceTheMinimum() {
            assertThat(TranscriptAnalysis.chapters(PLANNING, ORIGIN, Duration.ofSeconds(20), Duration.ofSeconds(120)))
                    .hasSize(1);
        }

        @Test
        void doesNotSplitBeforeTheMinimumChapterLength() {
            assertThat(TranscriptAnalysis.chapters(PLANNING, ORIGIN, Duration.ofSeconds(5), Duration.ofSeconds(100)))
                    .extracting(TranscriptAnalysis.Chapter::offsetMillis).containsExactly(0L, 165_000L);
        }

        @Test
        void startsAChapterAtAChangeOfSpeakerOnceTheChapterLastedTwiceTheMinimum() {
            List<TranscriptSegment> talk = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String who = i < 20 ? "alice" : "bob";
                talk.add(new TranscriptSegment(i, "m", "p" + i, who, who, "words number " + i,
                        ORIGIN.plusSeconds(i * 5L), ORIGIN.plusSeconds(i * 5L + 4)));
            }
            List<TranscriptAnalysis.Chapter> chapters = TranscriptAnalysis.chapters(talk, ORIGIN,
                    Duration.ofSeconds(30), Duration.ofSeconds(40));

            assertThat(chapters).extracting(TranscriptAnalysis.Chapter::offsetMillis).containsExactly(0L, 100_000L);
        }

        @Test
        void titlesAChapterWithoutContentWordsByItsNumber() {
            List<TranscriptSegment> fillers = List.of(new TranscriptSegment(1, "m", "p1", "a", "A", "um okay yes",
                    ORIGIN, ORIGIN.plusSeconds(2)));

            assertThat(TranscriptAnalysis.chapters(fillers, ORIGIN, Duration.ofSeconds(5), Duration.ofSeconds(40)))
                    .extracting(TranscriptAnalysis.Chapter::title).containsExactly("Chapter 1");
        }

        @Test
        void hasNoChaptersWithoutSegments() {
            assertThat(TranscriptAnalysis.chapters(List.of(), ORIGIN, Duration.ofSeconds(5), Duration.ofSeconds(40)))
                    .isEmpty();
        }
    }

    @Nested
    class Summary {

        private final TranscriptAnalysis.Summary summary = TranscriptAnalysis.summary(PLANNING, ORIGIN);

        @Test
        void findsTheActionItemsByTheirCuePhrases() {
            assertThat(summary.actionItems()).extracting(TranscriptAnalysis.Item::text).contains(
                    "i will update the budget spreadsheet by friday",
                    "can you schedule the remaining interviews for next week carol",
                    "i'll write the launch announcement and share it with marketing",
                    "please make sure the support team knows the launch date too");
            assertThat(summary.actionItems()).extracting(TranscriptAnalysis.Item::text)
                    .doesNotContain("um okay", "good that closes the budget topic");
        }

        @Test
        void findsTheDecisions() {
            assertThat(summary.decisions()).extracting(TranscriptAnalysis.Item::text).contains(
                    "after some discussion we decided to move half of the travel budget to marketing",
                    "we agreed that every candidate meets two engineers from the platform team",
                    "let's go with the fifteenth of march as the launch date for the mobile app");
        }

        @Test
        void picksKeyPointsFromTheTranscriptInSpokenOrderWithWhoAndWhen() {
            assertThat(summary.keyPoints()).hasSizeBetween(2, 7);
            List<String> texts = PLANNING.stream().map(TranscriptSegment::text).toList();
            assertThat(summary.keyPoints()).allSatisfy(point -> assertThat(texts).contains(point.text()));
            assertThat(summary.keyPoints()).extracting(TranscriptAnalysis.Item::offsetMillis).isSorted();
            assertThat(summary.keyPoints()).extracting(TranscriptAnalysis.Item::text)
                    .noneMatch(text -> text.split(" ").length < 6);
            TranscriptAnalysis.Item first = summary.actionItems().get(0);
            assertThat(first.name()).isEqualTo("Bob");
            assertThat(first.offsetMillis()).isEqualTo(38_500);
        }

        @Test
        void prefersPhrasesAboutTheMeetingsRecurringSubjects() {
            // The transcript is about the budget, engineers and the launch: the best points name at least one.
            assertThat(summary.keyPoints()).extracting(TranscriptAnalysis.Item::text)
                    .anyMatch(text -> text.contains("budget") || text.contains("launch")
                            || text.contains("engineers"));
        }

        @Test
        void isTheSameEveryTime() {
            assertThat(TranscriptAnalysis.summary(PLANNING, ORIGIN)).isEqualTo(summary);
        }

        @Test
        void rebasesOffsetsOntoARecordingsStart() {
            TranscriptAnalysis.Summary later = summary.rebased(ORIGIN.plusSeconds(30));

            assertThat(later.actionItems().get(0).offsetMillis()).isEqualTo(8_500);
        }

        @Test
        void isNullWithoutSegments() {
            assertThat(TranscriptAnalysis.summary(List.of(), ORIGIN)).isNull();
        }
    }
}
