package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code settings} of a create or edit request; null fields keep the default or current value. Immutable. */
public record MeetingSettingsRequest(
        @JsonProperty("passcode") String passcode,
        @JsonProperty("lobby") Boolean lobby,
        @JsonProperty("join_before_host") Boolean joinBeforeHost,
        @JsonProperty("mute_on_entry") Boolean muteOnEntry,
        @JsonProperty("recording_allowed") Boolean recordingAllowed,
        @JsonProperty("transcription_allowed") Boolean transcriptionAllowed,
        @JsonProperty("max_participants") Integer maxParticipants,
        @JsonProperty("allow_guests") Boolean allowGuests,
        @JsonProperty("auto_record") Boolean autoRecord,
        @JsonProperty("recording_retention_days") Integer recordingRetentionDays,
        @JsonProperty("auto_captions") Boolean autoCaptions,
        @JsonProperty("share_summary") Boolean shareSummary) {
}
