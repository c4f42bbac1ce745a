package io.tribune.api.core;

import io.tribune.api.errors.ApiException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A town hall's Q&A in PostgreSQL ({@code questions}, {@code question_votes}): the audience asks, everyone upvotes
 * (one vote per person and question, the table's primary key), panelists, co-hosts and the host mark questions
 * answered. Who may do what is the caller's to check (the meeting channel knows the role from the join token);
 * this class checks the input. Erasing an account deletes its questions and votes. Thread-safe.
 */
public final class TownHallQuestions implements UserErasureListener, UserDataExporter {

    /** Longest question, in characters (after trimming). */
    public static final int MAX_CHARS = 500;
    /** Most questions one meeting keeps; more are refused (the list is sent whole). */
    public static final int MAX_PER_MEETING = 1000;

    /** A question as stored; {@code answeredAt}/{@code answeredBy} null while open. */
    public record Question(long id, String meetingId, String authorId, String authorName, String body, int votes,
                           Instant answeredAt, String answeredBy, Instant createdAt) {

        public boolean answered() {
            return answeredAt != null;
        }
    }

    /** A question with whether one viewer has voted for it. */
    public record Seen(Question question, boolean voted) {
    }

    private static final String COLUMNS =
            "id, meeting_id, author_id, author_name, body, votes, answered_at, answered_by, created_at";
    private static final RowMapper<Question> MAPPER = (rs, ctx) -> new Question(rs.getLong("id"),
            rs.getString("meeting_id"), rs.getString("author_id"), rs.getString("author_name"), rs.getString("body"),
            rs.getInt("votes"), instant(rs.getTimestamp("answered_at")), rs.getString("answered_by"),
            instant(rs.getTimestamp("created_at")));

    private final Jdbi jdbi;
    private final Clock clock;

    public TownHallQuestions(Jdbi jdbi, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Stores a question.
     *
     * @throws ApiException 400 {@code invalid_question} for empty or oversized text, 409 {@code too_many_questions}
     */
    public Question ask(String meetingId, String authorId, String authorName, String text) {
        String body = validText(text);
        return jdbi.inTransaction(handle -> {
            int count = handle.createQuery("SELECT count(*) FROM questions WHERE meeting_id = :meetingId")
                    .bind("meetingId", meetingId)
                    .mapTo(Integer.class)
                    .one();
            if (count >= MAX_PER_MEETING) {
                throw new ApiException(409, "too_many_questions", "This town hall already has " + MAX_PER_MEETING
                        + " questions.", Map.of("meeting_id", meetingId));
            }
            return handle.createQuery("INSERT INTO questions (meeting_id, author_id, author_name, body, created_at) "
                            + "VALUES (:meetingId, :authorId, :authorName, :body, :now) RETURNING " + COLUMNS)
                    .bind("meetingId", meetingId)
                    .bind("authorId", authorId)
                    .bind("authorName", authorName)
                    .bind("body", body)
                    .bind("now", clock.instant())
                    .map(MAPPER)
                    .one();
        });
    }

    /**
     * Counts {@code voterId}'s vote for a question.
     *
     * @throws ApiException 404 {@code question_not_found}, 409 {@code already_voted} for a second vote
     */
    public Question upvote(String meetingId, long questionId, String voterId) {
        return jdbi.inTransaction(handle -> {
            Question question = find(handle, meetingId, questionId);
            int added = handle.createUpdate("INSERT INTO question_votes (question_id, voter_id) VALUES (:id, :voter) "
                            + "ON CONFLICT DO NOTHING")
                    .bind("id", question.id())
                    .bind("voter", voterId)
                    .execute();
            if (added == 0) {
                throw new ApiException(409, "already_voted", "You have already voted for this question.",
                        Map.of("question_id", Long.toString(questionId)));
            }
            return handle.createQuery("UPDATE questions SET votes = votes + 1 WHERE id = :id RETURNING " + COLUMNS)
                    .bind("id", question.id())
                    .map(MAPPER)
                    .one();
        });
    }

    /**
     * Marks a question answered (again: no change).
     *
     * @throws ApiException 404 {@code question_not_found}
     */
    public Question answer(String meetingId, long questionId, String answeredBy) {
        return jdbi.inTransaction(handle -> {
            Question question = find(handle, meetingId, questionId);
            if (question.answered()) {
                return question;
            }
            return handle.createQuery("UPDATE questions SET answered_at = :now, answered_by = :by WHERE id = :id "
                            + "RETURNING " + COLUMNS)
                    .bind("id", question.id())
                    .bind("now", clock.instant())
                    .bind("by", answeredBy)
                    .map(MAPPER)
                    .one();
        });
    }

    /** The meeting's questions, open ones first, then by votes (most first) and age (oldest first). */
    public List<Seen> list(String meetingId, String viewerId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + ", EXISTS (SELECT 1 FROM "
                        + "question_votes v WHERE v.question_id = q.id AND v.voter_id = :viewer) AS voted "
                        + "FROM questions q WHERE meeting_id = :meetingId "
                        + "ORDER BY answered_at IS NOT NULL, votes DESC, id LIMIT " + MAX_PER_MEETING)
                .bind("meetingId", meetingId)
                .bind("viewer", viewerId)
                .map((rs, ctx) -> new Seen(MAPPER.map(rs, ctx), rs.getBoolean("voted")))
                .list());
    }

    @Override
    public void onErase(Handle handle, UUID userId, UUID erasedBy) {
        String id = userId.toString();
        handle.createUpdate("UPDATE questions SET votes = votes - 1 WHERE id IN "
                        + "(SELECT question_id FROM question_votes WHERE voter_id = :id)")
                .bind("id", id)
                .execute();
        handle.createUpdate("DELETE FROM question_votes WHERE voter_id = :id").bind("id", id).execute();
        handle.createUpdate("DELETE FROM questions WHERE author_id = :id").bind("id", id).execute();
    }

    @Override
    public String section() {
        return "town_hall_questions";
    }

    @Override
    public Object export(Handle handle, UUID userId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM questions WHERE author_id = :id ORDER BY id")
                .bind("id", userId.toString())
                .map(MAPPER)
                .map(question -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("question_id", question.id());
                    entry.put("meeting_id", question.meetingId());
                    entry.put("question", question.body());
                    entry.put("votes", question.votes());
                    entry.put("answered", question.answered());
                    entry.put("timestamp", question.createdAt());
                    return entry;
                })
                .list();
    }

    private static Question find(Handle handle, String meetingId, long questionId) {
        Optional<Question> question = handle.createQuery("SELECT " + COLUMNS + " FROM questions "
                        + "WHERE id = :id AND meeting_id = :meetingId")
                .bind("id", questionId)
                .bind("meetingId", meetingId)
                .map(MAPPER)
                .findOne();
        return question.orElseThrow(() -> new ApiException(404, "question_not_found", "This town hall has no "
                + "question " + questionId + ".", Map.of("question_id", Long.toString(questionId))));
    }

    private static String validText(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw invalid("must not be empty");
        }
        if (trimmed.length() > MAX_CHARS) {
            throw invalid("must be at most " + MAX_CHARS + " characters");
        }
        return trimmed;
    }

    private static ApiException invalid(String problem) {
        return new ApiException(400, "invalid_question", "The question is not valid: text " + problem + ".",
                Map.of("text", problem));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
