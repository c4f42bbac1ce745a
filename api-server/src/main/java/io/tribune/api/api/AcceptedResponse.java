package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A 202 answer: the request was taken; what happens next is said in {@code message}. Immutable. */
public record AcceptedResponse(@JsonProperty("message") String message) {
}
