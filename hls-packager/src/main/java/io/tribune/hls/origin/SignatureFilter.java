package io.tribune.hls.origin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.tribune.common.cdn.CloudFrontVerifier;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses with 403 every media request that CloudFront would refuse: without a valid signed URL or signed cookies
 * for it. The URL checked is the one the viewer used at the CDN: the configured public base URL plus this request's
 * path and query. Mapped to {@code /hls/*}; the nginx edge asks {@link AuthResource} the same question.
 *
 * <p>Thread-safe.
 */
public final class SignatureFilter implements Filter {

    private final CloudFrontVerifier verifier;
    private final String publicBaseUrl;
    private final Counter denied;

    public SignatureFilter(CloudFrontVerifier verifier, String publicBaseUrl, MetricRegistry metrics) {
        this.verifier = Objects.requireNonNull(verifier);
        this.publicBaseUrl = stripSlash(publicBaseUrl);
        this.denied = metrics.counter("hls.origin.signature_denied");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String query = request.getQueryString();
        String uri = request.getRequestURI() + (query == null ? "" : "?" + query);
        CloudFrontVerifier.Verdict verdict = check(verifier, publicBaseUrl, uri, cookies(request),
                request.getRemoteAddr());
        if (verdict.allowed()) {
            chain.doFilter(req, res);
            return;
        }
        denied.inc();
        deny((HttpServletResponse) res, verdict);
    }

    /**
     * The verdict for a request of {@code pathAndQuery} (as sent to the origin or the edge) with these cookies: a
     * signed URL when the query carries a Signature, signed cookies otherwise.
     */
    static CloudFrontVerifier.Verdict check(CloudFrontVerifier verifier, String publicBaseUrl, String pathAndQuery,
                                            Map<String, String> cookies, String clientAddress) {
        String url = stripSlash(publicBaseUrl) + pathAndQuery;
        if (pathAndQuery.contains("Signature=")) {
            return verifier.verifyUrl(url, clientAddress);
        }
        return verifier.verifyCookies(url, cookies, clientAddress);
    }

    static Map<String, String> cookies(HttpServletRequest request) {
        Map<String, String> cookies = new HashMap<>();
        Cookie[] received = request.getCookies();
        if (received != null) {
            for (Cookie cookie : received) {
                cookies.putIfAbsent(cookie.getName(), cookie.getValue());
            }
        }
        return cookies;
    }

    static void deny(HttpServletResponse response, CloudFrontVerifier.Verdict verdict) throws IOException {
        byte[] body = ("forbidden: " + verdict.name().toLowerCase(java.util.Locale.ROOT) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setHeader("Cache-Control", CacheHeaders.NO_STORE);
        response.setContentType("text/plain");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
