package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"enabled": bool}}: whether a meeting's live captions are on. Immutable. */
public record CaptionsResponse(@JsonProperty("enabled") boolean enabled) {
}
