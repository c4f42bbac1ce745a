package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code POST /api/v1/meetings}. Times are ISO-8601 strings, with an offset or local to {@code time_zone};
 * {@code participants} entries are user ids, email addresses or {@code {"user_id"|"email": ..., "role": ...}}
 * objects, checked field by field so errors can name {@code participants[3]}. Immutable.
 */
public record CreateMeetingRequest(
        @JsonProperty("title") String title,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        @JsonProperty("participants") List<JsonNode> participants,
        @JsonProperty("host_id") String hostId,
        @JsonProperty("kind") String kind,
        @JsonProperty("time_zone") String timeZone,
        @JsonProperty("recurrence") String recurrence,
        @JsonProperty("settings") MeetingSettingsRequest settings,
        @JsonProperty("allow_overlap") Boolean allowOverlap,
        @JsonProperty("start_now") Boolean startNow) {
}
