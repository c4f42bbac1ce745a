package io.tribune.api.outbox;

import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.Objects;

/**
 * Appends events to the outbox in the caller's transaction, so an event exists exactly when the change it
 * announces was committed. {@link OutboxRelay} publishes it afterwards.
 *
 * <pre>{@code
 * jdbi.useTransaction(handle -> {
 *     users.insert(handle, user);
 *     outbox.append(handle, new UserEvents.Registered(user.id(), user.name(), user.email()));
 * });
 * }</pre>
 *
 * <p>Thread-safe (stateless apart from the clock).
 */
public final class OutboxWriter {

    static final String INSERT = """
            INSERT INTO outbox (event_id, topic, event_key, payload)
            VALUES (:eventId, :topic, :eventKey, :payload)
            """;

    private final Clock clock;

    public OutboxWriter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes {@code Event.of(data, clock.instant())} to the outbox.
     *
     * @return the event as it will be published (its id is what consumers deduplicate on)
     * @throws IllegalStateException when {@code handle} has no open transaction: outside one the row could be
     *                               committed without the change it announces, or the other way round
     */
    public Event append(Handle handle, EventData data) {
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("OutboxWriter.append must run inside the transaction of the change "
                    + "it announces (use jdbi.useTransaction / inTransaction)");
        }
        Event event = Event.of(data, clock.instant());
        String key = Objects.requireNonNull(event.key(), () -> event.type() + " event has no key");
        handle.createUpdate(INSERT)
                .bind("eventId", event.id())
                .bind("topic", event.topic())
                .bind("eventKey", key)
                .bind("payload", EventCodec.encode(event))
                .execute();
        return event;
    }
}
