package io.tribune.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as it travels through Kafka: an id (consumers deduplicate on it), the type and schema version of
 * the payload, the time it happened and the payload.
 *
 * <p>On the wire: {@code {"id":"...","type":"meeting.scheduled","version":1,"time":"...","data":{...}}}.
 * Immutable and thread-safe.
 */
public record Event(UUID id, String type, int version, Instant time, EventData data) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** A new event about {@code data}, happening at {@code time}, with a fresh random id. */
    public static Event of(EventData data, Instant time) {
        EventTypes.Descriptor descriptor = EventTypes.of(data.getClass());
        return new Event(UUID.randomUUID(), descriptor.type(), descriptor.version(), time, data);
    }

    /** The topic this event is published on. */
    public String topic() {
        return data.topic();
    }

    /** The partitioning key. */
    public String key() {
        return data.key();
    }
}
