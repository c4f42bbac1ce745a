package io.tribune.common.kafka;

import java.util.UUID;

/**
 * The ids of the events a consumer has handled, so that a redelivered event (after a crash before the offset
 * commit, or a producer retry that published it twice) is skipped. Implementations must be thread-safe.
 */
public interface ProcessedEvents {

    /** Keeps nothing: every delivery is handled (for handlers idempotent on a natural key). */
    ProcessedEvents NONE = new ProcessedEvents() {
        @Override
        public boolean isProcessed(UUID eventId) {
            return false;
        }

        @Override
        public void markProcessed(UUID eventId) {
        }
    };

    boolean isProcessed(UUID eventId) throws Exception;

    /** Records the event as handled; marking it twice is not an error. */
    void markProcessed(UUID eventId) throws Exception;
}
