package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A user's secret calendar subscription address, as {@code webcal://} and {@code https://} URLs. Immutable. */
public record CalendarFeedResponse(
        @JsonProperty("webcal_url") String webcalUrl,
        @JsonProperty("https_url") String httpsUrl) {
}
