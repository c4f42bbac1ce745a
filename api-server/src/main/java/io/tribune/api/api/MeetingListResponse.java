package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/meetings}: the caller's occurrences (hosted or invited) in {@code [from, to)}, recurring
 * series expanded, ordered by start, one page of them. Immutable.
 */
public record MeetingListResponse(
        @JsonProperty("items") List<Item> items,
        @JsonProperty("page") int page,
        @JsonProperty("size") int size,
        @JsonProperty("total") int total,
        @JsonProperty("from") Instant from,
        @JsonProperty("to") Instant to) {

    /**
     * One occurrence. {@code occurrence} identifies it within its series (the start its rule gave it, to pass to
     * PATCH or DELETE); null for meetings that do not repeat.
     */
    public record Item(
            @JsonProperty("meeting_id") String meetingId,
            @JsonProperty("title") String title,
            @JsonProperty("kind") String kind,
            @JsonProperty("start_time") Instant startTime,
            @JsonProperty("end_time") Instant endTime,
            @JsonProperty("time_zone") String timeZone,
            @JsonProperty("occurrence") Instant occurrence,
            @JsonProperty("recurring") boolean recurring,
            @JsonProperty("modified") boolean modified,
            @JsonProperty("host_id") String hostId,
            @JsonProperty("role") String role,
            @JsonProperty("join_url") String joinUrl) {
    }
}
