package io.tribune.api.core;

import static org.assertj.core.api.Assertions.assertThat;

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
}
