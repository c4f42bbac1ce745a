package io.tribune.api.notify;

import io.tribune.events.NotificationEvents;
import java.net.URI;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A meeting's reminder in the bell and the browsers (kind {@code reminders}): notification-worker owns when
 * reminders come due (db-scheduler, each invitee's lead time) and mails them; it reports each one due for an
 * invitee with an account as {@code notification.reminder_due}, and this tells that person in-app and by push as
 * their preferences allow, never by mail. Ids come from the meeting, the occurrence's start and the person, so a
 * reminder reported twice (a re-run after a crash) notifies once. Thread-safe.
 */
public final class ReminderNotifier {

    private final Notifications notifications;
    private final String appBase;

    public ReminderNotifier(Notifications notifications, URI publicUrl) {
        this.notifications = notifications;
        String base = publicUrl.toString();
        this.appBase = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/app/#/";
    }

    /** Tells the invitee, inside the caller's transaction; false when no active account matches. */
    public boolean due(Handle handle, NotificationEvents.ReminderDue due) {
        Optional<String> userId = account(handle, due);
        if (userId.isEmpty()) {
            return false;
        }
        String when = InvitationNotifier.when(due.startTime(), due.timeZone());
        notifications.notify(handle, userId.get(), NotificationKind.REMINDERS,
                "reminder|" + due.meetingId() + "|" + due.startTime(),
                Notifications.Message.notice("Reminder: " + due.title(), "\"" + due.title() + "\" starts "
                        + when + ".", appBase + "join/" + due.meetingId()),
                Notifications.Delivery.skipping(Channel.EMAIL));
        return true;
    }

    /** The account by id (when it is still active), else by the address the worker mailed. */
    private static Optional<String> account(Handle handle, NotificationEvents.ReminderDue due) {
        return handle.createQuery("SELECT CAST(id AS text) FROM users WHERE deleted_at IS NULL AND NOT disabled "
                        + "AND (CAST(id AS text) = :user OR (CAST(:email AS text) IS NOT NULL "
                        + "AND lower(email) = lower(:email))) ORDER BY (CAST(id AS text) = :user) DESC LIMIT 1")
                .bind("user", due.userId() == null ? "" : due.userId())
                .bind("email", due.email())
                .mapTo(String.class).findOne();
    }
}
