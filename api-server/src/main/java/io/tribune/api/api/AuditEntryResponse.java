package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One audit-log entry; {@code actor_id} is null for actions of the system itself. Immutable. */
public record AuditEntryResponse(
        @JsonProperty("id") long id,
        @JsonProperty("actor_id") String actorId,
        @JsonProperty("action") String action,
        @JsonProperty("target_type") String targetType,
        @JsonProperty("target_id") String targetId,
        @JsonProperty("details") JsonNode details,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("request_id") String requestId) {
}
