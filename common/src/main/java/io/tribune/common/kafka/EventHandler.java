package io.tribune.common.kafka;

import io.tribune.events.Event;

/**
 * What a worker does with one event. Called on the consumer's single poll thread, one event at a time, in
 * partition order. Returning means the side effect is done (the offset may be committed); throwing
 * {@link PoisonEventException} sends the record to the dead-letter topic at once; any other exception is retried
 * with backoff, then dead-lettered.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(Event event) throws Exception;
}
