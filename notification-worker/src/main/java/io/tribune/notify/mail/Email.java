package io.tribune.notify.mail;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One mail to one recipient, ready to render: the notification id that makes it idempotent, what kind of mail it
 * is (for the delivery log and metrics), the rendered template and an optional iCalendar part. Immutable.
 *
 * @param notificationId the delivery log's key: the same id is never sent twice
 * @param kind           e.g. {@code meeting_invite}, {@code meeting_reminder}, {@code verify_email}
 * @param to             the recipient's address
 * @param content        subject, text and HTML
 * @param calendar       an invitation or cancellation, or null
 * @param headers        extra header fields (List-Unsubscribe, ...)
 * @param sourceEvent    the event that caused it, or null
 */
public record Email(UUID notificationId, String kind, String to, Templates.Rendered content,
                    CalendarPart calendar, Map<String, String> headers, UUID sourceEvent) {

    public Email {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(content, "content");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /**
     * An RFC 5545 calendar sent with iTIP semantics (RFC 6047): {@code method} is the calendar's METHOD
     * ({@code REQUEST} or {@code CANCEL}).
     */
    public record CalendarPart(String method, String ics) {
        public CalendarPart {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(ics, "ics");
        }
    }
}
