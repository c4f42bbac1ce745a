package io.tribune.api.kafka;

import io.tribune.api.db.DatabaseMigrator;
import io.tribune.common.kafka.EventConsumer;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Kafka consumer of the api-server once the database migrations are done (its handler writes tables they
 * create), on a background thread that waits for them, so that the application starts while the database is still
 * migrating or down; {@link #stop} stops it, or cancels the wait. Used by the consumers that write the api-server's
 * tables (recording results, transcripts, expired push subscriptions). Thread-safe.
 */
final class AfterMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(AfterMigrations.class);

    private final String name;
    private final DatabaseMigrator migrator;
    private final Supplier<EventConsumer> create;
    private volatile EventConsumer consumer;
    private volatile Thread starter;
    private volatile boolean stopped;

    /**
     * @param name   what the consumer follows, for the thread's name and the log ("recording results")
     * @param create makes the consumer (not yet started), once the migrations are done
     */
    AfterMigrations(String name, DatabaseMigrator migrator, Supplier<EventConsumer> create) {
        this.name = name;
        this.migrator = migrator;
        this.create = create;
    }

    void start() {
        Thread thread = new Thread(this::startWhenMigrated, name.replace(' ', '-') + "-start");
        thread.setDaemon(true);
        starter = thread;
        thread.start();
    }

    private void startWhenMigrated() {
        try {
            while (!stopped && !migrator.awaitReady(Duration.ofSeconds(1))) {
                LOG.debug("Waiting for the migrations before following {}", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            EventConsumer made = create.get();
            made.start();
            consumer = made;
        }
    }

    /** The running consumer, or null before the migrations finished (for health and tests). */
    EventConsumer consumer() {
        return consumer;
    }

    void stop() {
        synchronized (this) {
            stopped = true;
        }
        Thread thread = starter;
        if (thread != null) {
            thread.interrupt();
        }
        EventConsumer running = consumer;
        if (running != null) {
            running.stop();
        }
    }
}
