package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code PATCH /api/v1/meetings/{id}}: only the fields present change. With {@code occurrence} (the start an
 * occurrence of the series had) only that occurrence changes, and only its title and times may. Whether
 * {@code recurrence} was sent as null (stop repeating) is read from the raw body. Immutable.
 */
public record UpdateMeetingRequest(
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
        @JsonProperty("occurrence") String occurrence) {
}
