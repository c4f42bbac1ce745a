package io.tribune.notify.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code notification.deliveries} table: one row per notification id, its status and the rendered message.
 * Thread-safe (each call takes its own connection).
 */
public final class DeliveryLog {

    /** Status values, as stored. */
    public static final String PENDING = "pending";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    private static final int MAX_ERROR_CHARS = 2000;

    private final DataSource dataSource;

    public DeliveryLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One delivery as stored. */
    public record Delivery(UUID notificationId, String kind, String recipient, String subject, byte[] message,
                           String status, int attempts, String lastError, Instant nextAttemptAt, Instant sentAt) {
    }

    /**
     * Inserts the delivery as {@code status} ({@code sending} counts as the first attempt); false when a row with
     * that id exists already (nothing changes).
     */
    public boolean insert(UUID id, String kind, String recipient, String subject, byte[] message, UUID sourceEvent,
                          String status, String error) throws SQLException {
        return insert(id, kind, "email", recipient, subject, message, sourceEvent, status, error);
    }

    /** {@link #insert} on a channel other than email ({@code push}: recipient is the endpoint). */
    public boolean insert(UUID id, String kind, String channel, String recipient, String subject, byte[] message,
                          UUID sourceEvent, String status, String error) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO notification.deliveries (notification_id, kind, recipient, subject, message, status,"
                        + " last_error, source_event, attempts, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")) {
            s.setObject(1, id);
            s.setString(2, kind);
            s.setString(3, recipient);
            s.setString(4, subject);
            s.setBytes(5, message);
            s.setString(6, status);
            s.setString(7, cut(error));
            s.setObject(8, sourceEvent);
            s.setInt(9, SENDING.equals(status) ? 1 : 0);
            s.setString(10, channel);
            return s.executeUpdate() == 1;
        }
    }

    public Optional<Delivery> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT notification_id, kind, recipient, subject, message, status, attempts, last_error,"
                        + " next_attempt_at, sent_at FROM notification.deliveries WHERE notification_id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Delivery(r.getObject(1, UUID.class), r.getString(2), r.getString(3),
                        r.getString(4), r.getBytes(5), r.getString(6), r.getInt(7), r.getString(8),
                        instant(r.getTimestamp(9)), instant(r.getTimestamp(10))));
            }
        }
    }

    /** Marks an attempt as started; returns the attempt number (1 for the first). */
    public int markSending(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE notification.deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now(),"
                        + " next_attempt_at = NULL WHERE notification_id = ? RETURNING attempts")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no delivery " + id);
                }
                return r.getInt(1);
            }
        }
    }

    public void markSent(UUID id) throws SQLException {
        update("UPDATE notification.deliveries SET status = 'sent', sent_at = now(), updated_at = now(),"
                + " last_error = NULL WHERE notification_id = ?", id, null, null);
    }

    public void markFailed(UUID id, String error) throws SQLException {
        update("UPDATE notification.deliveries SET status = 'failed', last_error = ?, updated_at = now()"
                + " WHERE notification_id = ?", id, error, null);
    }

    public void markRetry(UUID id, String error, Instant nextAttempt) throws SQLException {
        update("UPDATE notification.deliveries SET status = 'pending', last_error = ?, next_attempt_at = ?,"
                + " updated_at = now() WHERE notification_id = ?", id, error, nextAttempt);
    }

    private void update(String sql, UUID id, String error, Instant next) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int index = 1;
            if (sql.contains("last_error = ?")) {
                s.setString(index++, cut(error));
            }
            if (sql.contains("next_attempt_at = ?")) {
                s.setTimestamp(index++, Timestamp.from(next));
            }
            s.setObject(index, id);
            s.executeUpdate();
        }
    }

    private static String cut(String error) {
        return error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
