package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** A chat message: the seed's {@code {message_id,user_id,message,timestamp}} plus name, recipient, client id. */
public record ChatMessageResponse(
        @JsonProperty("message_id") String messageId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("name") String name,
        @JsonProperty("to") String to,
        @JsonProperty("message") String message,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("timestamp") Instant timestamp) {

    /** {@code GET /api/v1/meetings/{id}/chat}: messages after {@code after}, oldest first. */
    public record Page(@JsonProperty("messages") List<ChatMessageResponse> messages,
                       @JsonProperty("after") long after) {
    }
}
