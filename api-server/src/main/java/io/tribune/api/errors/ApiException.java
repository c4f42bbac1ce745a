package io.tribune.api.errors;

import java.time.Duration;
import java.util.LinkedHashMap;
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
    private final transient Map<String, String> headers;

    public ApiException(int status, String code, String message, Map<String, ?> details) {
        this(status, code, message, details, Map.of());
    }

    /** With response headers, e.g. {@code Retry-After}; see {@link #retryAfter}. */
    public ApiException(int status, String code, String message, Map<String, ?> details,
                        Map<String, String> headers) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + status);
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.details = details == null ? Map.of() : Map.copyOf(details);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    /**
     * A 429 or 503 telling the client when to come back: {@code Retry-After} in whole seconds (rounded up, at
     * least 1), also in {@code details.retry_after_seconds}.
     */
    public static ApiException retryAfter(int status, String code, String message, Duration wait,
                                          Map<String, ?> details) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        Map<String, Object> all = new LinkedHashMap<>(details == null ? Map.of() : details);
        all.put("retry_after_seconds", seconds);
        return new ApiException(status, code, message, all, Map.of("Retry-After", Long.toString(seconds)));
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

    /** Extra response headers (name to value). */
    public Map<String, String> headers() {
        return headers;
    }
}
