package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v1/meetings/{id}/lock} and {@code /unlock}. Immutable. */
public record LockResponse(
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("locked") boolean locked,
        @JsonProperty("message") String message) {
}
