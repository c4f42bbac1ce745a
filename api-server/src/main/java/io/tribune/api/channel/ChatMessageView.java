package io.tribune.api.channel;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.ChatMessage;

import java.time.Instant;

/** A chat message as channel clients get it (the seed's field names plus sender, recipient and client id). */
record ChatMessageView(@JsonProperty("message_id") String messageId,
                       @JsonProperty("user_id") String userId,
                       @JsonProperty("name") String name,
                       @JsonProperty("to") String to,
                       @JsonProperty("message") String message,
                       @JsonProperty("client_id") String clientId,
                       @JsonProperty("timestamp") Instant timestamp) {

    static ChatMessageView of(ChatMessage message) {
        return new ChatMessageView(Long.toString(message.id()), message.senderId(), message.senderName(),
                message.recipientId(), message.body(), message.clientId(), message.createdAt());
    }
}
