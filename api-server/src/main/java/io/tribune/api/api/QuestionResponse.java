package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.TownHallQuestions;

import java.time.Instant;
import java.util.List;

/**
 * A town-hall question as clients see it (REST and the meeting channel's {@code question.*} events). {@code voted}
 * is the viewer's own vote, present only in answers to that viewer. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuestionResponse(
        @JsonProperty("question_id") String questionId,
        @JsonProperty("author_id") String authorId,
        @JsonProperty("name") String authorName,
        @JsonProperty("text") String text,
        @JsonProperty("votes") int votes,
        @JsonProperty("answered") boolean answered,
        @JsonProperty("answered_by") String answeredBy,
        @JsonProperty("answered_at") Instant answeredAt,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("voted") Boolean voted) {

    public static QuestionResponse of(TownHallQuestions.Question question, Boolean voted) {
        return new QuestionResponse(Long.toString(question.id()), question.authorId(), question.authorName(),
                question.body(), question.votes(), question.answered(), question.answeredBy(), question.answeredAt(),
                question.createdAt(), voted);
    }

    public static List<QuestionResponse> of(List<TownHallQuestions.Seen> seen) {
        return seen.stream().map(s -> of(s.question(), s.voted())).toList();
    }

    /** {@code GET /meetings/{id}/questions}. */
    public record Page(@JsonProperty("questions") List<QuestionResponse> questions) {
    }
}
