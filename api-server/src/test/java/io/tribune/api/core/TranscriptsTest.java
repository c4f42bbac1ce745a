package io.tribune.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptsTest {

    @Test
    void splitsASnippetAtItsMarksIntoPlainAndMatchingParts() {
        assertThat(Transcripts.parts("the \u0001budget\u0002 is \u0001over\u0002"))
                .containsExactly(new Transcripts.Part("the ", false), new Transcripts.Part("budget", true),
                        new Transcripts.Part(" is ", false), new Transcripts.Part("over", true));
    }

    @Test
    void joinsAdjacentMatchesAndKeepsMarkupAsText() {
        assertThat(Transcripts.parts("\u0001a\u0002\u0001b\u0002 <script>"))
                .containsExactly(new Transcripts.Part("ab", true), new Transcripts.Part(" <script>", false));
    }

    @Test
    void returnsNoPartsForAnEmptySnippet() {
        assertThat(Transcripts.parts("")).isEmpty();
    }

    @Test
    void cleansControlCharactersOutOfStoredText() {
        assertThat(Transcripts.clean(" a\u0001b\u0002c\n")).isEqualTo("a b c");
    }

    @Test
    void saysTheSummaryInOneLineWithItsCountsAndTheFirstKeyPointShortened() {
        TranscriptAnalysis.Item point = new TranscriptAnalysis.Item("the budget review " + "x".repeat(200), "Ann",
                Instant.EPOCH, 0);
        TranscriptAnalysis.Item action = new TranscriptAnalysis.Item("i will write it up", "Bob", Instant.EPOCH, 0);
        String line = Transcripts.summaryLine(new TranscriptAnalysis.Summary(List.of(point, point), List.of(action),
                List.of()));

        assertThat(line).startsWith("2 key points, 1 action item, 0 decisions. First: the budget review xxx")
                .endsWith("x\u2026").hasSizeLessThan(200);
        assertThat(Transcripts.summaryLine(new TranscriptAnalysis.Summary(List.of(), List.of(), List.of(action))))
                .isEqualTo("0 key points, 0 action items, 1 decision.");
    }

    @Test
    void givesEveryRecipientTheSameSummaryMailIdWhoeverSendsIt() {
        assertThat(Transcripts.summaryMailId("rec-1", "user-2")).isEqualTo("transcript-summary-rec-1-user-2");
    }
}
