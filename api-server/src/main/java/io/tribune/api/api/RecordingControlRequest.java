package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The seed's {@code {"user_id": "..."}} body of recording start and stop; it must be the caller's own id. */
public record RecordingControlRequest(@JsonProperty("user_id") String userId) {
}
