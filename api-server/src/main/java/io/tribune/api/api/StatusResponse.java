package io.tribune.api.api;

import java.time.Instant;

/** {@code GET /api/v1/status}: which service answers, its version and its clock. */
public record StatusResponse(String service, String version, Instant time) {
}
