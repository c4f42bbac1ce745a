package io.tribune.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names an {@link EventData} record on the wire: its type, schema version and topic. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** Dotted name, e.g. {@code meeting.scheduled}. */
    String value();

    /** Schema version of the payload. */
    int version() default 1;

    /** The topic it is published on. */
    String topic();
}
