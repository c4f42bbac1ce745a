package io.tribune.api.core;

import io.tribune.api.errors.ApiException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Stores and reads meeting chat in PostgreSQL ({@code chat_messages}). Sending is idempotent per sender and client
 * id. Erasing an account deletes the messages it sent and the private ones it received; its export lists them.
 * Thread-safe.
 */
public final class MeetingChat implements UserErasureListener, UserDataExporter {

    /** Longest message, in characters (after trimming). */
    public static final int MAX_CHARS = 4000;
    /** Longest client id. */
    public static final int MAX_CLIENT_ID = 64;
    /** A participant id: a user id (UUID) or a guest id ({@code guest-...}). */
    private static final Pattern PARTICIPANT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Most messages one history read returns. */
    public static final int MAX_HISTORY = 500;

    private static final String COLUMNS =
            "id, meeting_id, sender_id, sender_name, recipient_id, client_id, body, created_at";
    private static final RowMapper<ChatMessage> MAPPER = (rs, ctx) -> new ChatMessage(rs.getLong("id"),
            rs.getString("meeting_id"), rs.getString("sender_id"), rs.getString("sender_name"),
            rs.getString("recipient_id"), rs.getString("client_id"), rs.getString("body"),
            rs.getTimestamp("created_at").toInstant());

    private final Jdbi jdbi;
    private final Clock clock;

    public MeetingChat(Jdbi jdbi, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.clock = Objects.requireNonNull(clock);
    }

    /** What a sender asks to post. */
    public record Draft(String meetingId, String senderId, String senderName, String recipientId, String clientId,
                        String text) {
    }

    /** The stored message, and whether this call stored it (false: the same client id was sent before). */
    public record Sent(ChatMessage message, boolean created) {
    }

    /**
     * Stores a message.
     *
     * @throws ApiException 400 {@code invalid_message} for an empty or oversized text or client id
     */
    public Sent send(Draft draft) {
        String text = validText(draft.text());
        String clientId = draft.clientId();
        if (clientId != null && (clientId.isBlank() || clientId.length() > MAX_CLIENT_ID)) {
            throw invalid("client_id", "must be 1 to " + MAX_CLIENT_ID + " characters");
        }
        if (draft.recipientId() != null && !PARTICIPANT_ID.matcher(draft.recipientId()).matches()) {
            throw invalid("to", "must be a participant id");
        }
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            Optional<ChatMessage> inserted = handle.createQuery("INSERT INTO chat_messages (meeting_id, sender_id, "
                            + "sender_name, recipient_id, client_id, body, created_at) VALUES (:meetingId, :senderId, "
                            + ":senderName, :recipientId, :clientId, :body, :now) ON CONFLICT DO NOTHING RETURNING "
                            + COLUMNS)
                    .bind("meetingId", draft.meetingId())
                    .bind("senderId", draft.senderId())
                    .bind("senderName", draft.senderName())
                    .bind("recipientId", draft.recipientId())
                    .bind("clientId", clientId)
                    .bind("body", text)
                    .bind("now", now)
                    .map(MAPPER)
                    .findOne();
            if (inserted.isPresent()) {
                return new Sent(inserted.get(), true);
            }
            ChatMessage earlier = handle.createQuery("SELECT " + COLUMNS + " FROM chat_messages WHERE meeting_id = "
                            + ":meetingId AND sender_id = :senderId AND client_id = :clientId")
                    .bind("meetingId", draft.meetingId())
                    .bind("senderId", draft.senderId())
                    .bind("clientId", clientId)
                    .map(MAPPER)
                    .one();
            return new Sent(earlier, false);
        });
    }

    /** Messages of the meeting after {@code afterId} that {@code viewerId} may read, oldest first, at most limit. */
    public List<ChatMessage> history(String meetingId, String viewerId, long afterId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM chat_messages "
                        + "WHERE meeting_id = :meetingId AND id > :afterId "
                        + "AND (recipient_id IS NULL OR recipient_id = :viewer OR sender_id = :viewer) "
                        + "ORDER BY id LIMIT :limit")
                .bind("meetingId", meetingId)
                .bind("afterId", afterId)
                .bind("viewer", viewerId)
                .bind("limit", Math.max(1, Math.min(limit, MAX_HISTORY)))
                .map(MAPPER)
                .list());
    }

    /** The last {@code limit} messages {@code viewerId} may read, oldest first (what a newcomer sees). */
    public List<ChatMessage> recent(String meetingId, String viewerId, int limit) {
        List<ChatMessage> newestFirst = jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM chat_messages WHERE meeting_id = :meetingId "
                        + "AND (recipient_id IS NULL OR recipient_id = :viewer OR sender_id = :viewer) "
                        + "ORDER BY id DESC LIMIT :limit")
                .bind("meetingId", meetingId)
                .bind("viewer", viewerId)
                .bind("limit", Math.max(1, Math.min(limit, MAX_HISTORY)))
                .map(MAPPER)
                .list());
        List<ChatMessage> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    @Override
    public void onErase(Handle handle, UUID userId, UUID erasedBy) {
        handle.createUpdate("DELETE FROM chat_messages WHERE sender_id = :id OR recipient_id = :id")
                .bind("id", userId.toString())
                .execute();
    }

    @Override
    public String section() {
        return "chat_messages";
    }

    @Override
    public Object export(Handle handle, UUID userId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM chat_messages WHERE sender_id = :id OR "
                        + "recipient_id = :id ORDER BY id")
                .bind("id", userId.toString())
                .map(MAPPER)
                .map(message -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("message_id", message.id());
                    entry.put("meeting_id", message.meetingId());
                    entry.put("sender_id", message.senderId());
                    entry.put("recipient_id", message.recipientId());
                    entry.put("message", message.body());
                    entry.put("timestamp", message.createdAt());
                    return entry;
                })
                .list();
    }

    private static String validText(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw invalid("message", "must not be empty");
        }
        if (trimmed.length() > MAX_CHARS) {
            throw invalid("message", "must be at most " + MAX_CHARS + " characters");
        }
        return trimmed;
    }

    private static ApiException invalid(String field, String problem) {
        return new ApiException(400, "invalid_message", "The chat message is not valid: " + field + " " + problem
                + ".", Map.of(field, problem));
    }
}
