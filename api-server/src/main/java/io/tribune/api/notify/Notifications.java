package io.tribune.api.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.NotificationEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Who gets told what, and how: preferences per user, channel and kind (table {@code notification_preferences}),
 * address opt-outs from unsubscribe links, and the fan-out of one notification to its channels. Everything the
 * worker must know goes through the outbox in the same transaction as the change: {@code notification.requested}
 * per mail and per push subscription, {@code notification.preferences_changed} on every preference change. In-app
 * notifications are rows here ({@link InAppNotifications}).
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class Notifications {

    /**
     * The worker's template that is only a title, a body and a link ({@code title}, {@code body}, {@code url}):
     * notification-worker's {@code templates/notice.*}.
     */
    public static final String NOTICE_TEMPLATE = "notice";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final InAppNotifications inApp;
    private final Clock clock;

    public Notifications(Jdbi jdbi, OutboxWriter outbox, ObjectMapper json, InAppNotifications inApp, Clock clock) {
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.json = json;
        this.inApp = inApp;
        this.clock = clock;
    }

    /** A user's preferences; the defaults when they never changed any. */
    public Preferences preferences(String userId) {
        return jdbi.withHandle(handle -> preferences(handle, userId));
    }

    public Preferences preferences(Handle handle, String userId) {
        return handle.createQuery("SELECT CAST(disabled AS text) AS disabled, reminder_lead_minutes "
                        + "FROM notification_preferences WHERE user_id = CAST(:user AS uuid)")
                .bind("user", userId)
                .map((rs, ctx) -> new Preferences(parse(rs.getString("disabled")), rs.getInt("reminder_lead_minutes")))
                .findOne()
                .orElse(Preferences.DEFAULTS);
    }

    /** Stores {@code preferences} and tells the worker (its meeting mails and reminders follow them). */
    public Preferences save(String userId, Preferences preferences) {
        return jdbi.inTransaction(handle -> save(handle, userId, preferences));
    }

    private Preferences save(Handle handle, String userId, Preferences preferences) {
        handle.createUpdate("INSERT INTO notification_preferences (user_id, disabled, reminder_lead_minutes, "
                        + "updated_at) VALUES (CAST(:user AS uuid), CAST(:disabled AS jsonb), :lead, :now) "
                        + "ON CONFLICT (user_id) DO UPDATE SET disabled = EXCLUDED.disabled, "
                        + "reminder_lead_minutes = EXCLUDED.reminder_lead_minutes, updated_at = EXCLUDED.updated_at")
                .bind("user", userId)
                .bind("disabled", write(List.copyOf(preferences.disabled())))
                .bind("lead", preferences.reminderLeadMinutes())
                .bind("now", clock.instant())
                .execute();
        email(handle, userId).ifPresent(email -> outbox.append(handle, new NotificationEvents.PreferencesChanged(
                userId, email, preferences.emailOptOuts(), preferences.reminderLeadMinutes())));
        return preferences;
    }

    /**
     * One-click unsubscribe (RFC 8058): the token's category turned off for mail, for the account with that
     * address or, without one, for the address itself. True when something changed or was already off.
     */
    public boolean unsubscribe(UnsubscribeTokens.Subject subject) {
        List<NotificationKind> kinds = NotificationKind.ofCategory(subject.category());
        if (kinds.isEmpty()) {
            return false;
        }
        String email = subject.email().toLowerCase(Locale.ROOT);
        jdbi.useTransaction(handle -> {
            Optional<String> userId = handle.createQuery("SELECT CAST(id AS text) FROM users "
                            + "WHERE lower(email) = :email AND deleted_at IS NULL")
                    .bind("email", email).mapTo(String.class).findOne();
            if (userId.isPresent()) {
                save(handle, userId.get(), preferences(handle, userId.get()).withOff(kinds, Channel.EMAIL));
                return;
            }
            Instant now = clock.instant();
            for (NotificationKind kind : kinds) {
                handle.createUpdate("INSERT INTO notification_address_opt_outs (email, kind, created_at) "
                                + "VALUES (:email, :kind, :now) ON CONFLICT DO NOTHING")
                        .bind("email", email).bind("kind", kind.key()).bind("now", now).execute();
            }
            List<String> optOuts = handle.createQuery("SELECT kind FROM notification_address_opt_outs "
                    + "WHERE email = :email ORDER BY kind").bind("email", email).mapTo(String.class).list();
            outbox.append(handle, new NotificationEvents.PreferencesChanged(null, email, optOuts,
                    Preferences.DEFAULT_LEAD_MINUTES));
        });
        return true;
    }

    /**
     * Tells {@code userId} about something on every channel their preferences allow, inside the caller's
     * transaction: a mail (template {@code template} with {@code params}), a push message to each of their
     * browsers, an in-app notification. {@code seed} makes the notification ids (a redelivered event that calls
     * this again produces the same ids, which the worker's delivery log sends once).
     *
     * @return the channels it went to (empty when the person's preferences, or a missing address or subscription,
     *         left none)
     */
    public Set<Channel> notify(Handle handle, String userId, NotificationKind kind, String seed, Message message) {
        return notify(handle, userId, kind, seed, message, Delivery.EVERY_CHANNEL);
    }

    /**
     * {@link #notify(Handle, String, NotificationKind, String, Message)} on the channels {@code delivery} leaves
     * in: a channel someone else already covers (the worker mails invitations with their calendar file) is
     * skipped, not sent twice.
     */
    public Set<Channel> notify(Handle handle, String userId, NotificationKind kind, String seed, Message message,
                               Delivery delivery) {
        Preferences preferences = preferences(handle, userId);
        Set<Channel> reached = EnumSet.noneOf(Channel.class);
        if (delivery.includes(Channel.EMAIL) && preferences.isOn(Channel.EMAIL, kind)) {
            Optional<String> email = email(handle, userId);
            if (email.isPresent()) {
                String id = delivery.emailId() != null ? delivery.emailId() : id(seed, "email", email.get());
                outbox.append(handle, new NotificationEvents.Requested(id, userId, email.get(), Channel.EMAIL.key(),
                        message.template(), message.params()));
                reached.add(Channel.EMAIL);
            }
        }
        if (delivery.includes(Channel.PUSH) && preferences.isOn(Channel.PUSH, kind)) {
            for (PushSubscriptions.Subscription subscription : PushSubscriptions.of(handle, userId)) {
                Map<String, String> params = new LinkedHashMap<>(message.pushParams());
                params.put("endpoint", subscription.endpoint());
                params.put("p256dh", subscription.p256dh());
                params.put("auth", subscription.auth());
                outbox.append(handle, new NotificationEvents.Requested(id(seed, "push", subscription.endpoint()),
                        userId, null, Channel.PUSH.key(), message.pushTemplate(), params));
                reached.add(Channel.PUSH);
            }
        }
        if (delivery.includes(Channel.IN_APP) && preferences.isOn(Channel.IN_APP, kind)) {
            inApp.add(handle, UUID.fromString(id(seed, "in_app", userId)), userId, kind, message.title(),
                    message.body(), message.url());
            reached.add(Channel.IN_APP);
        }
        return reached;
    }

    /**
     * What one notification says: the worker's {@code template} and its {@code params} (mail, and push unless
     * {@code pushTemplate} is {@link #NOTICE_TEMPLATE}), and the in-app title, body and link.
     *
     * @param pushTemplate the worker's template for pushes: {@code template}, or {@link #NOTICE_TEMPLATE} for a
     *                     push that says {@code title} and {@code body} (short enough for a push message, where
     *                     the mail's template is long or needs what the api-server does not have)
     */
    public record Message(String template, Map<String, String> params, String title, String body, String url,
                          String pushTemplate) {
        public Message {
            params = Map.copyOf(params);
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(pushTemplate, "pushTemplate");
        }

        /** A message whose mail and push use the same template and params. */
        public Message(String template, Map<String, String> params, String title, String body, String url) {
            this(template, params, title, body, url, template);
        }

        /** A message that is only its title, body and link, on every channel ({@link #NOTICE_TEMPLATE}). */
        public static Message notice(String title, String body, String url) {
            return new Message(NOTICE_TEMPLATE, noticeParams(title, body, url), title, body, url, NOTICE_TEMPLATE);
        }

        /** The same mail, pushed as its in-app title and body instead of the mail's template. */
        public Message pushedAsNotice() {
            return new Message(template, params, title, body, url, NOTICE_TEMPLATE);
        }

        Map<String, String> pushParams() {
            return NOTICE_TEMPLATE.equals(pushTemplate) ? noticeParams(title, body, url) : params;
        }

        private static Map<String, String> noticeParams(String title, String body, String url) {
            return Map.of("title", title, "body", body, "url", url);
        }
    }

    /**
     * Which channels a call to {@code notify} may use, and the mail's notification id when it must stay what an
     * earlier way of sending the same mail used (so that the worker's delivery log still recognises it).
     */
    public record Delivery(Set<Channel> skipped, String emailId) {

        /** Every channel the person's preferences allow; ids from the seed. */
        public static final Delivery EVERY_CHANNEL = new Delivery(Set.of(), null);

        public Delivery {
            skipped = Set.copyOf(skipped);
        }

        /** Every channel but {@code channel}. */
        public static Delivery skipping(Channel channel) {
            return new Delivery(Set.of(channel), null);
        }

        /** The same, with the mail's notification id fixed. */
        public Delivery withEmailId(String id) {
            return new Delivery(skipped, Objects.requireNonNull(id));
        }

        boolean includes(Channel channel) {
            return !skipped.contains(channel);
        }
    }

    private static Optional<String> email(Handle handle, String userId) {
        return handle.createQuery("SELECT email FROM users WHERE id = CAST(:user AS uuid) AND deleted_at IS NULL")
                .bind("user", userId).mapTo(String.class).findOne();
    }

    private static String id(String seed, String channel, String target) {
        return UUID.nameUUIDFromBytes((seed + "|" + channel + "|" + target).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private Set<String> parse(String text) {
        try {
            return new HashSet<>(json.readValue(text, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification_preferences.disabled is not a JSON array", e);
        }
    }

    private String write(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
