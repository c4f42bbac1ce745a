package io.tribune.common.kafka;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link ProcessedEvents} in a PostgreSQL table of the worker's own schema, created by the worker's migrations:
 *
 * <pre>{@code
 * CREATE TABLE <schema>.processed_events (
 *     consumer     text        NOT NULL,
 *     event_id     uuid        NOT NULL,
 *     processed_at timestamptz NOT NULL DEFAULT now(),
 *     PRIMARY KEY (consumer, event_id)
 * );
 * }</pre>
 *
 * <p>A handler whose side effect is a write to the same database can call {@link #markProcessed(Connection, UUID)}
 * inside its own transaction, which makes the effect and the mark atomic. Thread-safe.
 */
public final class JdbcProcessedEvents implements ProcessedEvents {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final DataSource dataSource;
    private final String consumer;
    private final String select;
    private final String insert;
    private final String deleteOld;

    /**
     * @param table    e.g. {@code notification.processed_events}
     * @param consumer the consumer group, one table may serve several
     */
    public JdbcProcessedEvents(DataSource dataSource, String table, String consumer) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a plain [schema.]table name: " + table);
        }
        this.select = "SELECT 1 FROM " + table + " WHERE consumer = ? AND event_id = ?";
        this.insert = "INSERT INTO " + table + " (consumer, event_id, processed_at) VALUES (?, ?, now())"
                + " ON CONFLICT DO NOTHING";
        this.deleteOld = "DELETE FROM " + table + " WHERE consumer = ? AND processed_at < ?";
    }

    @Override
    public boolean isProcessed(UUID eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, consumer);
            statement.setObject(2, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    @Override
    public void markProcessed(UUID eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            markProcessed(connection, eventId);
        }
    }

    /** Marks the event on the caller's connection (inside its transaction); true when it was not marked before. */
    public boolean markProcessed(Connection connection, UUID eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setString(1, consumer);
            statement.setObject(2, eventId);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Forgets events processed before {@code cutoff}; keep them longer than a redelivery can take (the topics'
     * retention). Returns how many were deleted.
     */
    public int deleteProcessedBefore(Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(deleteOld)) {
            statement.setString(1, consumer);
            statement.setObject(2, java.sql.Timestamp.from(cutoff));
            return statement.executeUpdate();
        }
    }
}
