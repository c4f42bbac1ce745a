package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/users/{user_id}/export}: everything api-server holds about an account. The built-in
 * sections come first; {@code sections} (from {@link io.tribune.api.core.UserDataExporter}s, e.g.
 * {@code meetings}) follow at the top level under their own names.
 * Immutable.
 */
@JsonPropertyOrder({"exported_at", "profile", "sessions", "audit_log"})
public record UserExportResponse(
        @JsonProperty("exported_at") Instant exportedAt,
        @JsonProperty("profile") UserResponse profile,
        @JsonProperty("sessions") List<SessionResponse> sessions,
        @JsonProperty("audit_log") List<AuditEntryResponse> auditLog,
        @JsonAnyGetter Map<String, Object> sections) {

    public UserExportResponse {
        sessions = List.copyOf(sessions);
        auditLog = List.copyOf(auditLog);
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }
}
