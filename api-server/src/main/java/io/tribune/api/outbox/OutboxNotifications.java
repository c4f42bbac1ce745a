package io.tribune.api.outbox;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The relay's wake-up call: a dedicated PostgreSQL connection LISTENing on {@value #CHANNEL}, which the outbox
 * insert trigger notifies at commit. If the connection breaks it is re-opened on the next wait; meanwhile the
 * relay still polls, so a lost notification costs at most one poll interval.
 *
 * <p>Not thread-safe: used only by the relay thread.
 */
public final class OutboxNotifications implements AutoCloseable {

    static final String CHANNEL = "tribune_outbox";

    /** Opens a new connection (not a pooled one: it is held for the life of the relay). */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(OutboxNotifications.class);

    private final ConnectionFactory connections;
    private Connection connection;
    private boolean warned;

    OutboxNotifications(ConnectionFactory connections) {
        this.connections = connections;
    }

    /**
     * Waits up to {@code timeout} for a notification.
     *
     * @return true when one arrived, false on timeout or when listening is impossible right now (after
     *     sleeping out the timeout, so callers can loop without spinning)
     */
    boolean await(Duration timeout) throws InterruptedException {
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            if (connection == null || connection.isClosed()) {
                connection = connections.open();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (warned) {
                    LOG.info("Listening for outbox notifications again");
                    warned = false;
                }
            }
            PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(timeoutMs);
            return notifications != null && notifications.length > 0;
        } catch (SQLException e) {
            if (!warned) {
                LOG.warn("Cannot listen for outbox notifications ({}); polling only until it works again",
                        e.getMessage());
                warned = true;
            }
            close();
            Thread.sleep(timeoutMs);
            return false;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the listen connection failed", e);
            }
            connection = null;
        }
    }
}
