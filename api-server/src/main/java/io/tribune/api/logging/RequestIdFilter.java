package io.tribune.api.logging;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token (1-64 characters of
 * {@code [A-Za-z0-9_-]}), otherwise a fresh random one. The id is in the SLF4J MDC as {@code request_id} for the
 * log lines of the request, in the request attribute {@link #ATTRIBUTE}, and in the {@code X-Request-Id} response
 * header (the JSON request log picks it up from there).
 *
 * <p>Thread-safe: the MDC belongs to the thread serving the request and is cleared when the request leaves.
 */
public final class RequestIdFilter implements Filter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    public static final int MAX_LENGTH = 64;
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    /** The caller's id when it is safe to log and echo verbatim; empty for null, blank, too long or odd ones. */
    public static Optional<String> sanitize(String candidate) {
        if (candidate == null) {
            return Optional.empty();
        }
        String trimmed = candidate.trim();
        return SANE.matcher(trimmed).matches() ? Optional.of(trimmed) : Optional.empty();
    }

    /**
     * A new id: a version 4 UUID, 36 characters. Its bits come from {@link ThreadLocalRandom}, not the shared
     * {@code SecureRandom} behind {@link UUID#randomUUID()} (a lock every request thread would queue on): an id
     * correlates log lines and proves nothing, so it needs to be unique, not unguessable.
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;                     // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /** The id of the request this thread is serving, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(MDC_KEY));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest httpRequest)
                || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        String id = sanitize(httpRequest.getHeader(HEADER)).orElseGet(RequestIdFilter::generate);
        httpRequest.setAttribute(ATTRIBUTE, id);
        // Set before the chain runs so that error responses and committed streams carry it too.
        httpResponse.setHeader(HEADER, id);
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }
}
