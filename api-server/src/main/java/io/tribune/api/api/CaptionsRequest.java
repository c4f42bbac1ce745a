package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"enabled": true|false}}: switches a meeting's live captions on or off. */
public record CaptionsRequest(@JsonProperty("enabled") Boolean enabled) {
}
