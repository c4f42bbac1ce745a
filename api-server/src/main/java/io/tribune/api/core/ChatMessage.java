package io.tribune.api.core;

import java.time.Instant;

/**
 * A stored chat message. {@code recipientId} is null for a message to everyone; {@code clientId} is the sender's
 * own id for it (resends carry the same one), or null. Immutable.
 */
public record ChatMessage(long id, String meetingId, String senderId, String senderName, String recipientId,
                          String clientId, String body, Instant createdAt) {

    /** Whether {@code participantId} may read it: everyone for a public message, else sender and recipient. */
    public boolean visibleTo(String participantId) {
        return recipientId == null || recipientId.equals(participantId) || senderId.equals(participantId);
    }
}
