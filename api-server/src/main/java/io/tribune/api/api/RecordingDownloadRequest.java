package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v1/recordings/{id}/download} {@code {"file": "composed" | "<track_id>"}}. Immutable. */
public record RecordingDownloadRequest(@JsonProperty("file") String file) {
}
