package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"message": "..."}}: the answer of actions with nothing else to report. Immutable. */
public record MessageResponse(@JsonProperty("message") String message) {
}
