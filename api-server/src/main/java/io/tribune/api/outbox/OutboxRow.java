package io.tribune.api.outbox;

import java.util.UUID;

/** One unsent outbox row as the relay reads it. */
record OutboxRow(long id, UUID eventId, String topic, String eventKey, byte[] payload, int attempts) {
}
