package io.tribune.api.cache;

import io.dropwizard.lifecycle.Managed;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Delivers the change announcements of PostgreSQL's {@value #CHANNEL} channel (written by triggers at commit, see
 * migration V4) to the {@link ChangeListener}s of each {@link ChangeKind}, so in-memory copies on every instance
 * are dropped within milliseconds of a commit. Writers on this instance also {@link #announce} their changes right
 * after committing, so a client that reads after its own write never sees the old value here.
 *
 * <p>One thread owns a dedicated connection (not a pooled one) that LISTENs, and checks it with a query every few
 * seconds so a dead connection is noticed. While it is not listening the feed is not {@link #isLive() live}: caches
 * then keep nothing. After (re)connecting it resets every listener before going live, since changes may have been
 * missed meanwhile.
 *
 * <p>Thread-safe.
 */
public final class ChangeFeed implements Managed {

    static final String CHANNEL = "tribune_changes";

    /** Opens a new connection to the database. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int WAIT_MILLIS = 500;
    private static final Duration PING_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final ConnectionFactory connections;
    private final Map<ChangeKind, List<ChangeListener>> listeners = new EnumMap<>(ChangeKind.class);
    private volatile boolean live;
    private volatile boolean running;
    private Thread thread;

    public ChangeFeed(ConnectionFactory connections) {
        this.connections = connections;
        for (ChangeKind kind : ChangeKind.values()) {
            listeners.put(kind, new CopyOnWriteArrayList<>());
        }
    }

    /** Adds a listener for changes of {@code kind}; call before {@link #start}. */
    public void subscribe(ChangeKind kind, ChangeListener listener) {
        listeners.get(kind).add(listener);
    }

    /** Whether announcements are being delivered right now. */
    public boolean isLive() {
        return live;
    }

    /** Tells this instance's listeners at once about a change this instance just committed. */
    public void announce(ChangeKind kind, String id) {
        for (ChangeListener listener : listeners.get(kind)) {
            listener.changed(id);
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5).toMillis());
        }
        live = false;
    }

    private void run() {
        Connection connection = null;
        long lastPing = System.nanoTime();
        boolean warned = false;
        while (running) {
            try {
                if (connection == null) {
                    connection = connections.open();
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LISTEN " + CHANNEL);
                    }
                    resetAll();
                    live = true;
                    lastPing = System.nanoTime();
                    if (warned) {
                        LOG.info("Listening for change announcements again; in-memory caches are back on");
                        warned = false;
                    }
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        dispatch(notification.getParameter());
                    }
                }
                if (System.nanoTime() - lastPing > PING_INTERVAL.toNanos()) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    lastPing = System.nanoTime();
                }
            } catch (SQLException | RuntimeException e) {
                live = false;
                resetAll();
                if (!warned && running) {
                    LOG.warn("Cannot listen for change announcements ({}); in-memory caches are off until it works "
                            + "again", e.toString());
                    warned = true;
                }
                close(connection);
                connection = null;
                try {
                    Thread.sleep(RETRY_INTERVAL.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        live = false;
        close(connection);
    }

    /** Hands {@code <kind>:<id>} to the kind's listeners; unknown kinds are ignored. */
    void dispatch(String payload) {
        int colon = payload == null ? -1 : payload.indexOf(':');
        if (colon <= 0) {
            return;
        }
        ChangeKind.parse(payload.substring(0, colon))
                .ifPresent(kind -> announce(kind, payload.substring(colon + 1)));
    }

    private void resetAll() {
        for (List<ChangeListener> kindListeners : listeners.values()) {
            for (ChangeListener listener : kindListeners) {
                listener.reset();
            }
        }
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the change feed's connection failed", e);
        }
    }
}
