package io.tribune.api.errors;

import java.util.Map;
import java.util.Objects;

/**
 * An error a resource reports on purpose: it becomes a JSON {@link io.tribune.api.api.ErrorResponse} with this
 * status, code, message and details, and is not logged as a server fault (unless the status is 5xx).
 *
 * <pre>{@code throw new ApiException(404, "meeting_not_found", "No meeting " + id, Map.of("meeting_id", id));}</pre>
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final transient Map<String, Object> details;

    public ApiException(int status, String code, String message, Map<String, ?> details) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + status);
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Response headers that go with the error (e.g. {@code Retry-After}); subclasses add theirs. */
    public Map<String, String> headers() {
        return Map.of();
    }
}
