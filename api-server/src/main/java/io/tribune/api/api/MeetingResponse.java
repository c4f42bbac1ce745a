package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * A meeting as its host and invitees see it. {@code participants} lists invitees as given (user ids and email
 * addresses); {@code invitees} adds their roles. {@code start_time}/{@code end_time} are the first occurrence
 * (null for a personal room). The passcode appears only in {@code settings} of responses to the host and
 * co-hosts. {@code role} is the caller's role in the meeting. Immutable.
 */
public record MeetingResponse(
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("numeric_id") String numericId,
        @JsonProperty("title") String title,
        @JsonProperty("kind") String kind,
        @JsonProperty("start_time") Instant startTime,
        @JsonProperty("end_time") Instant endTime,
        @JsonProperty("time_zone") String timeZone,
        @JsonProperty("recurrence") String recurrence,
        @JsonProperty("host_id") String hostId,
        @JsonProperty("participants") List<String> participants,
        @JsonProperty("invitees") List<InviteeResponse> invitees,
        @JsonProperty("join_url") String joinUrl,
        @JsonProperty("status") String status,
        @JsonProperty("sequence") int sequence,
        @JsonProperty("personal_room") boolean personalRoom,
        @JsonProperty("locked") boolean locked,
        @JsonProperty("role") String role,
        @JsonProperty("settings") Settings settings,
        @JsonProperty("occurrence_overrides") List<OverrideResponse> occurrenceOverrides,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    /** An invitee with their role in the meeting. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InviteeResponse(
            @JsonProperty("user_id") String userId,
            @JsonProperty("email") String email,
            @JsonProperty("role") String role) {
    }

    /** The meeting's settings; {@code passcode} only for its host and co-hosts. */
    public record Settings(
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("passcode") String passcode,
            @JsonProperty("lobby") boolean lobby,
            @JsonProperty("join_before_host") boolean joinBeforeHost,
            @JsonProperty("mute_on_entry") boolean muteOnEntry,
            @JsonProperty("recording_allowed") boolean recordingAllowed,
            @JsonProperty("transcription_allowed") boolean transcriptionAllowed,
            @JsonProperty("max_participants") int maxParticipants,
            @JsonProperty("allow_guests") boolean allowGuests,
            @JsonProperty("auto_record") boolean autoRecord,
            @JsonProperty("recording_retention_days") int recordingRetentionDays,
            @JsonProperty("auto_captions") boolean autoCaptions,
            @JsonProperty("share_summary") boolean shareSummary) {
    }

    /** One occurrence of the series changed or cancelled on its own. */
    public record OverrideResponse(
            @JsonProperty("occurrence") Instant occurrence,
            @JsonProperty("cancelled") boolean cancelled,
            @JsonProperty("title") String title,
            @JsonProperty("start_time") Instant startTime,
            @JsonProperty("end_time") Instant endTime) {
    }
}
