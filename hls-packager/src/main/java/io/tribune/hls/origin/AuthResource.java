package io.tribune.hls.origin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.tribune.common.cdn.CloudFrontVerifier;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Objects;

/**
 * {@code GET /auth} for nginx's {@code auth_request}: 204 when the original request ({@code X-Original-URI}, with
 * the viewer's cookies) carries a valid signature, else 403. The edge caches the answer a few seconds per cookie,
 * so the origin sees about one check per viewer per few seconds, not one per request.
 */
@Path("/auth")
public final class AuthResource {

    private final CloudFrontVerifier verifier;
    private final String publicBaseUrl;
    private final Counter denied;

    public AuthResource(CloudFrontVerifier verifier, String publicBaseUrl, MetricRegistry metrics) {
        this.verifier = Objects.requireNonNull(verifier);
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl);
        this.denied = metrics.counter("hls.auth.denied");
    }

    @GET
    public Response check(@HeaderParam("X-Original-URI") String originalUri, @Context HttpServletRequest request) {
        if (originalUri == null || !originalUri.startsWith("/")) {
            return HlsResource.error(Response.Status.BAD_REQUEST, "X-Original-URI is missing");
        }
        CloudFrontVerifier.Verdict verdict = SignatureFilter.check(verifier, publicBaseUrl, originalUri,
                SignatureFilter.cookies(request), forwardedFor(request));
        if (verdict.allowed()) {
            return Response.noContent().header(HttpHeaders.CACHE_CONTROL, CacheHeaders.NO_STORE).build();
        }
        denied.inc();
        return Response.status(Response.Status.FORBIDDEN).header(HttpHeaders.CACHE_CONTROL, CacheHeaders.NO_STORE)
                .header("X-Tribune-Denied", verdict.name()).build();
    }

    /** The viewer's address as the edge saw it: the last X-Real-IP the edge set, else the peer. */
    private static String forwardedFor(HttpServletRequest request) {
        String real = request.getHeader("X-Real-IP");
        return real != null ? real : request.getRemoteAddr();
    }
}
