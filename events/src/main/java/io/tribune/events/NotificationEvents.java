package io.tribune.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events on {@link Topics#NOTIFICATIONS}, keyed by recipient (user id, or email for people without accounts). */
public final class NotificationEvents {

    private NotificationEvents() {
    }

    /**
     * Notify one person. {@code notificationId} is the idempotency key the worker's delivery log uses;
     * {@code channel} is {@code email}, {@code push} or {@code in_app}; {@code template} names a template whose
     * placeholders {@code params} fills.
     */
    @EventType(value = "notification.requested", topic = Topics.NOTIFICATIONS)
    public record Requested(String notificationId, String userId, String email, String channel, String template,
                            Map<String, String> params) implements EventData {
        public Requested {
            params = params == null ? Map.of() : Map.copyOf(params);
        }

        @Override
        public String key() {
            return userId != null ? userId : email;
        }
    }

    /**
     * The api-server's record of one person's mail preferences, for the worker's meeting mails (invitations and
     * reminders come from meeting events, not from {@link Requested}): {@code emailOptOuts} lists the kinds
     * ({@code invitations}, {@code reminders}, ...) this address gets no mail of; {@code reminderLeadMinutes} is
     * how long before each occurrence the reminder goes out. Sent on every change (the latest wins), keyed by the
     * address; {@code userId} is null for an invitee without an account who unsubscribed.
     */
    @EventType(value = "notification.preferences_changed", topic = Topics.NOTIFICATIONS)
    public record PreferencesChanged(String userId, String email, List<String> emailOptOuts,
                                     int reminderLeadMinutes) implements EventData {
        public PreferencesChanged {
            emailOptOuts = emailOptOuts == null ? List.of() : List.copyOf(emailOptOuts);
        }

        @Override
        public String key() {
            return email;
        }
    }

    /**
     * The worker's report that a push service answered 404 or 410 for {@code endpoint} (RFC 8030 section 7.3):
     * the subscription is gone and the api-server forgets it. Keyed by the user.
     */
    @EventType(value = "notification.push_subscription_expired", topic = Topics.NOTIFICATIONS)
    public record PushSubscriptionExpired(String notificationId, String userId, String endpoint, int status)
            implements EventData {
        @Override
        public String key() {
            return userId != null ? userId : endpoint;
        }
    }

    /**
     * The worker's reminder of one occurrence came due for one invitee with an account (by {@code userId}, or
     * {@code userId} null and the account found by {@code email}): the api-server tells them in the bell and their
     * browsers as their {@code reminders} preferences allow; the mail is the worker's own. {@code startTime} is
     * the occurrence's start (with a moved occurrence, its new start), {@code timeZone} the meeting's. The same
     * reminder may be reported more than once (a re-run after a crash): the api-server's ids come from the
     * meeting, {@code startTime} and the person. Keyed by the recipient.
     */
    @EventType(value = "notification.reminder_due", topic = Topics.NOTIFICATIONS)
    public record ReminderDue(String meetingId, String title, Instant startTime, String timeZone, String userId,
                              String email) implements EventData {
        @Override
        public String key() {
            return userId != null ? userId : email;
        }
    }
}
