package io.tribune.common.kafka;

import io.tribune.events.Event;

/**
 * What a worker does with one event. Called for the events of one partition one at a time, in order; events of
 * different partitions may be handled at once on different threads, so implementations are thread-safe. Returning means the side effect is done (the offset may be committed); throwing
 * {@link PoisonEventException} sends the record to the dead-letter topic at once; any other exception is retried
 * with backoff, then dead-lettered.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(Event event) throws Exception;
}
