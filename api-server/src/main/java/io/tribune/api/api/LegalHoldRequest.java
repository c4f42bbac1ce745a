package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"legal_hold": true|false}}: puts a recording under legal hold or releases it. */
public record LegalHoldRequest(@JsonProperty("legal_hold") Boolean legalHold) {
}
