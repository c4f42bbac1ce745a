package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT /api/v1/meetings/{id}/participants/{participant}/role}: the new role. Immutable. */
public record RoleChangeRequest(@JsonProperty("role") String role) {
}
