package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of recording start and stop: the seed's {@code message} ({@code Recording started} / {@code Recording
 * stopped}), plus the recording's id and status. Immutable.
 */
public record RecordingControlResponse(
        @JsonProperty("message") String message,
        @JsonProperty("recording_id") String recordingId,
        @JsonProperty("status") String status) {
}
