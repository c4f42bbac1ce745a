package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * The {@code meetings} section of an account's data export: meetings it hosts, meetings it is invited to, its
 * personal room and whether it has a calendar feed. Passcodes and feed tokens are secrets and stay out.
 * Immutable.
 */
public record MeetingExportSection(
        @JsonProperty("hosted") List<Hosted> hosted,
        @JsonProperty("invitations") List<Invitation> invitations,
        @JsonProperty("personal_room_id") String personalRoomId,
        @JsonProperty("calendar_feed") boolean calendarFeed) {

    /** A meeting the account hosts, with whom it invited. */
    public record Hosted(
            @JsonProperty("meeting_id") String meetingId,
            @JsonProperty("title") String title,
            @JsonProperty("kind") String kind,
            @JsonProperty("start_time") Instant startTime,
            @JsonProperty("end_time") Instant endTime,
            @JsonProperty("time_zone") String timeZone,
            @JsonProperty("recurrence") String recurrence,
            @JsonProperty("status") String status,
            @JsonProperty("participants") List<String> participants,
            @JsonProperty("created_at") Instant createdAt) {
    }

    /** A meeting the account is invited to, and its role there. */
    public record Invitation(
            @JsonProperty("meeting_id") String meetingId,
            @JsonProperty("title") String title,
            @JsonProperty("host_id") String hostId,
            @JsonProperty("role") String role,
            @JsonProperty("start_time") Instant startTime,
            @JsonProperty("end_time") Instant endTime,
            @JsonProperty("status") String status) {
    }
}
