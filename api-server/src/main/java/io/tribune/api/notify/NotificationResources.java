package io.tribune.api.notify;

import io.dropwizard.core.setup.Environment;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.core.UserDataHooks;
import io.tribune.api.db.DatabaseMigrator;
import io.tribune.api.kafka.PushExpiryConsumer;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.api.resources.DevMailboxResource;
import io.tribune.api.resources.NotificationPreferencesResource;
import io.tribune.api.resources.NotificationsResource;
import io.tribune.api.resources.PushSubscriptionsResource;
import java.time.Clock;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Wires notifications into the api-server (called from {@code run()}, one place instead of many lines there):
 * preferences, in-app notifications, push subscriptions and their expiry consumer, the unsubscribe endpoint, and
 * in dev mode the {@code /dev/mailbox} page.
 */
public final class NotificationResources {

    private NotificationResources() {
    }

    /** Registers the resources and managed parts; returns the fan-out other parts notify through. */
    public static Notifications register(Environment environment, ApiServerConfiguration configuration, Jdbi jdbi,
                                         DataSource dataSource, OutboxWriter outbox, DatabaseMigrator migrator,
                                         UserDataHooks hooks, Clock clock) {
        NotificationsConfiguration settings = configuration.getNotifications();
        InAppNotifications inApp = new InAppNotifications(jdbi, clock);
        Notifications notifications = new Notifications(jdbi, outbox, environment.getObjectMapper(), inApp, clock);
        environment.jersey().register(new NotificationPreferencesResource(notifications));
        environment.jersey().register(new NotificationsResource(inApp, notifications,
                new UnsubscribeTokens(settings.getUnsubscribeKey())));
        environment.jersey().register(new PushSubscriptionsResource(new PushSubscriptions(jdbi, clock),
                settings.getVapidPublicKey()));
        // An erased account's preferences, browsers and notifications go with it.
        hooks.addErasureListener((handle, userId, erasedBy) -> {
            for (String table : new String[] {"notification_preferences", "push_subscriptions",
                    "in_app_notifications"}) {
                handle.createUpdate("DELETE FROM " + table + " WHERE user_id = :user").bind("user", userId)
                        .execute();
            }
        });
        if (settings.isFollowPushExpiries()) {
            environment.lifecycle().manage(new PushExpiryConsumer(configuration.getKafka().getBootstrapServers(),
                    jdbi, dataSource, migrator, environment.metrics())
                    .notifying(new ReminderNotifier(notifications, configuration.getPublicUrl())));
        }
        if (settings.getDevMailboxUrl() != null) {
            environment.jersey().register(new DevMailboxResource(new DevMailbox(settings.getDevMailboxUrl())));
        }
        return notifications;
    }
}
