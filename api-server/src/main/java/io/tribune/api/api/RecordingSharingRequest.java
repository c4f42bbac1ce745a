package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT /api/v1/recordings/{id}/sharing} {@code {"participants": true|false}}. Immutable. */
public record RecordingSharingRequest(@JsonProperty("participants") Boolean participants) {
}
