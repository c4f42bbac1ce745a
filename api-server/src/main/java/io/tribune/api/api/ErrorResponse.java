package io.tribune.api.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The body of every error response: {@code {"code":"not_found","message":"...","details":{...}}}.
 *
 * <p>{@code code} is a stable snake_case identifier clients branch on; {@code message} is for people and may
 * change; {@code details} holds machine-readable specifics (e.g. field name to problem) and is never null.
 * Immutable.
 */
public record ErrorResponse(String code, String message, Map<String, Object> details) {

    public ErrorResponse {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        // Keep insertion order (stable output) while refusing later modification; Map.copyOf would reorder.
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static ErrorResponse of(String code, String message) {
        return new ErrorResponse(code, message, Map.of());
    }
}
