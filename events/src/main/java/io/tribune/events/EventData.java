package io.tribune.events;

/**
 * The payload of one event. Each implementation is a record annotated with {@link EventType}, which names the
 * event and its schema version; {@link EventTypes} lists them all.
 *
 * <p>Compatibility rule: a version may only add optional fields. Renaming or removing a field, or changing its
 * meaning, needs a new version number, and consumers keep reading the old one until no producer writes it.
 */
public interface EventData {

    /** The partitioning key: the entity the event is about (see {@link Topics}). */
    String key();

    /** The topic the event belongs on. */
    default String topic() {
        return EventTypes.of(getClass()).topic();
    }
}
