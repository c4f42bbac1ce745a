package io.tribune.api.notify;

import io.tribune.api.api.PageResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * In-app notifications (table {@code in_app_notifications}): what the web client's bell lists, unread first, then
 * newest first. Thread-safe.
 */
public final class InAppNotifications {

    /** One notification as the API shows it. */
    public record Item(String id, String kind, String title, String body, String url, Instant createdAt,
                       Instant readAt) {
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public InAppNotifications(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Adds one inside the caller's transaction; the same id twice (a redelivered event) adds it once. */
    void add(Handle handle, UUID id, String userId, NotificationKind kind, String title, String body, String url) {
        handle.createUpdate("INSERT INTO in_app_notifications (id, user_id, kind, title, body, url, created_at) "
                        + "VALUES (:id, CAST(:user AS uuid), :kind, :title, :body, :url, :now) "
                        + "ON CONFLICT (id) DO NOTHING")
                .bind("id", id).bind("user", userId).bind("kind", kind.key()).bind("title", title)
                .bind("body", body).bind("url", url).bind("now", clock.instant())
                .execute();
    }

    /** One page (from 1) of the user's notifications, unread first. */
    public PageResponse<Item> page(String userId, int page, int size) {
        return jdbi.withHandle(handle -> {
            List<Item> items = handle.createQuery("SELECT CAST(id AS text) AS id, kind, title, body, url, "
                            + "created_at, read_at FROM in_app_notifications WHERE user_id = CAST(:user AS uuid) "
                            + "ORDER BY (read_at IS NULL) DESC, created_at DESC, id LIMIT :size OFFSET :offset")
                    .bind("user", userId).bind("size", size).bind("offset", (long) (page - 1) * size)
                    .map((rs, ctx) -> new Item(rs.getString("id"), rs.getString("kind"), rs.getString("title"),
                            rs.getString("body"), rs.getString("url"), rs.getTimestamp("created_at").toInstant(),
                            rs.getTimestamp("read_at") == null ? null : rs.getTimestamp("read_at").toInstant()))
                    .list();
            long total = handle.createQuery("SELECT count(*) FROM in_app_notifications "
                    + "WHERE user_id = CAST(:user AS uuid)").bind("user", userId).mapTo(Long.class).one();
            return new PageResponse<>(items, page, size, total);
        });
    }

    public long unread(String userId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM in_app_notifications "
                        + "WHERE user_id = CAST(:user AS uuid) AND read_at IS NULL")
                .bind("user", userId).mapTo(Long.class).one());
    }

    /** Marks one read; false when the user has no notification with that id. */
    public boolean markRead(String userId, UUID id) {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE in_app_notifications SET read_at = "
                        + "COALESCE(read_at, :now) WHERE id = :id AND user_id = CAST(:user AS uuid)")
                .bind("now", clock.instant()).bind("id", id).bind("user", userId).execute()) > 0;
    }

    /** Marks every unread one read; the number marked. */
    public int markAllRead(String userId) {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE in_app_notifications SET read_at = :now "
                        + "WHERE user_id = CAST(:user AS uuid) AND read_at IS NULL")
                .bind("now", clock.instant()).bind("user", userId).execute());
    }
}
