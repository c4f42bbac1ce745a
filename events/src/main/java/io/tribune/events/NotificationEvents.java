package io.tribune.events;

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
}
