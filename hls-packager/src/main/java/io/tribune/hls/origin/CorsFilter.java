package io.tribune.hls.origin;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * CORS for players on another origin (the web client served by the api-server, the CDN serving media): for an
 * allowed {@code Origin} it allows GET/HEAD with credentials (the signed cookies travel with hls.js requests made
 * {@code withCredentials}), and answers preflights itself with 204, before any signature check, since preflights
 * carry no cookies. Requests from other origins get no CORS headers, so browsers refuse them. Thread-safe.
 */
public final class CorsFilter implements Filter {

    private final Set<String> allowedOrigins;

    public CorsFilter(List<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        boolean allowed = origin != null && allowedOrigins.contains(origin);
        if (allowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.addHeader("Vary", "Origin");
        }
        if ("OPTIONS".equals(request.getMethod())) {
            if (allowed) {
                response.setHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
                response.setHeader("Access-Control-Allow-Headers", "Range");
                response.setHeader("Access-Control-Max-Age", "600");
            }
            response.setStatus(allowed ? HttpServletResponse.SC_NO_CONTENT : HttpServletResponse.SC_FORBIDDEN);
            response.setHeader("Cache-Control", CacheHeaders.NO_STORE);
            return;
        }
        chain.doFilter(req, res);
    }
}
