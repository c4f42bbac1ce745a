package io.tribune.api.kafka;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tribune.api.db.DatabaseMigrator;
import io.tribune.api.notify.PushSubscriptions;
import io.tribune.api.notify.ReminderNotifier;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.JdbcProcessedEvents;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.NotificationEvents;
import io.tribune.events.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the notification-worker's reports: reads {@code tribune.notifications} as the consumer group
 * {@value #GROUP}, deletes the subscription named by each {@code notification.push_subscription_expired} (the push
 * service answered 404 or 410), and tells the invitee of each {@code notification.reminder_due} in the bell and
 * their browsers ({@link ReminderNotifier}, when given). Every other event on the topic is the api-server's own
 * request to the worker and is skipped. Each event is applied once (processed events, in the same transaction).
 * Starts once the migrations are done. Thread-safe.
 */
public final class PushExpiryConsumer implements Managed {

    public static final String GROUP = "api-server-push-expiry";
    private static final Logger LOG = LoggerFactory.getLogger(PushExpiryConsumer.class);

    private final ConsumerSettings settings;
    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final MetricRegistry metrics;
    private final AfterMigrations starting;
    private volatile ReminderNotifier reminders;

    public PushExpiryConsumer(String bootstrapServers, Jdbi jdbi, DataSource dataSource, DatabaseMigrator migrator,
                              MetricRegistry metrics) {
        this.settings = ConsumerSettings.of(bootstrapServers, GROUP, List.of(Topics.NOTIFICATIONS))
                .withRetries(5, Duration.ofMillis(500), Duration.ofSeconds(10));
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.starting = new AfterMigrations("expired push subscriptions", migrator, this::create);
        this.metrics = metrics;
    }

    @Override
    public void start() {
        starting.start();
    }

    private EventConsumer create() {
        JdbcProcessedEvents processed = new JdbcProcessedEvents(dataSource, "processed_events", GROUP);
        EventConsumer consumer = EventConsumer.create(settings, event -> handle(event, processed), processed, metrics);
        LOG.info("Following expired push subscriptions on {} as {}", Topics.NOTIFICATIONS, GROUP);
        return consumer;
    }

    /** Also tells invitees of the reminders the worker reports due. Call before {@link #start()}. */
    public PushExpiryConsumer notifying(ReminderNotifier reminderNotifier) {
        this.reminders = reminderNotifier;
        return this;
    }

    private void handle(Event event, JdbcProcessedEvents processed) throws SQLException {
        if (event.data() instanceof NotificationEvents.PushSubscriptionExpired expired) {
            jdbi.<Void, SQLException>inTransaction(handle -> {
                if (processed.markProcessed(handle.getConnection(), event.id())) {
                    int removed = PushSubscriptions.remove(handle, expired.userId(), expired.endpoint());
                    LOG.info("push subscription of user {} expired (HTTP {}): {} removed", expired.userId(),
                            expired.status(), removed);
                }
                return null;
            });
        } else if (event.data() instanceof NotificationEvents.ReminderDue due && reminders != null) {
            if (due.meetingId() == null || due.startTime() == null || due.title() == null
                    || (due.userId() == null && due.email() == null)) {
                throw new PoisonEventException("reminder_due without meeting, start, title or recipient");
            }
            ReminderNotifier notifier = reminders;
            jdbi.<Void, SQLException>inTransaction(handle -> {
                if (processed.markProcessed(handle.getConnection(), event.id()) && !notifier.due(handle, due)) {
                    LOG.debug("reminder of meeting {} due for {}: no active account", due.meetingId(), due.userId());
                }
                return null;
            });
        }
    }

    /** The running consumer, or null before the migrations finished. */
    public EventConsumer consumer() {
        return starting.consumer();
    }

    @Override
    public void stop() {
        starting.stop();
    }
}
