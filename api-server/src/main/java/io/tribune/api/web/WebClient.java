package io.tribune.api.web;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.assets.AssetServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the browser app (module {@code web-client}, files under {@code io/tribune/web/} on the classpath) at
 * {@value #APP_PATH}, and turns the links people get into app pages: {@code /} opens the app, and a meeting's
 * invite link ({@code /meetings/{id}}, or {@code /meetings/{id}/join}) its join page, where guests need no account. Every app response
 * carries a Content-Security-Policy that allows only our own origin and the SFU's signaling origin, so no
 * injected or third-party script can run. Thread-safe.
 */
public final class WebClient {

    public static final String APP_PATH = "/app/";

    private WebClient() {
    }

    /** Where the town-hall player, hls.js (from its WebJar), is served. */
    public static final String HLS_JS_PATH = "/app/vendor/hls/";

    /** @param signalingUrl the SFU's signaling URL (its origin may be connected to from the app) */
    public static void install(Environment environment, URI signalingUrl) {
        install(environment, signalingUrl, null);
    }

    /**
     * @param signalingUrl the SFU's signaling URL (its origin may be connected to from the app)
     * @param hlsBaseUrl   the HLS origin or CDN town-hall audiences play from (may be fetched from), or null
     */
    public static void install(Environment environment, URI signalingUrl, URI hlsBaseUrl) {
        environment.servlets().addServlet("web-client", new AssetServlet("/io/tribune/web", "/app", "index.html",
                StandardCharsets.UTF_8)).addMapping("/app/*");
        environment.servlets().addServlet("web-client-hls-js", new AssetServlet(hlsJsResources(),
                HLS_JS_PATH.substring(0, HLS_JS_PATH.length() - 1), null, StandardCharsets.UTF_8))
                .addMapping(HLS_JS_PATH + "*");
        environment.servlets().addServlet("web-client-links", new Links()).addMapping("", "/meetings/*");
        String signalingOrigin = signalingUrl.getScheme() + "://" + signalingUrl.getAuthority();
        String hlsOrigin = hlsBaseUrl == null ? "" : " " + hlsBaseUrl.getScheme() + "://" + hlsBaseUrl.getAuthority();
        // The media origin (or CDN) also serves recordings: their video, poster and scrub-bar thumbnails.
        String policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:"
                + hlsOrigin + "; media-src 'self' blob: mediastream:" + hlsOrigin + "; connect-src 'self' "
                + signalingOrigin + hlsOrigin + "; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        Filter headers = (request, response, chain) -> {
            HttpServletResponse http = (HttpServletResponse) response;
            http.setHeader("Content-Security-Policy", policy);
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("Referrer-Policy", "same-origin");
            chain.doFilter(request, response);
        };
        environment.servlets().addFilter("web-client-headers", headers)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/app/*");
    }

    /** The classpath folder of hls.js's browser builds, for the WebJar's version (read from its Maven metadata). */
    static String hlsJsResources() {
        Properties properties = new Properties();
        try (InputStream in = WebClient.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/hls.js/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the hls.js WebJar is not on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/META-INF/resources/webjars/hls.js/" + properties.getProperty("version") + "/dist";
    }

    /** Redirects shared links into the app's routes. */
    static final class Links extends HttpServlet {

        private static final Pattern MEETING = Pattern.compile("^/meetings/([A-Za-z0-9_-]{1,64})(/join)?/?$");

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.isEmpty() || path.equals("/")) {
                response.sendRedirect(APP_PATH);
                return;
            }
            Matcher meeting = MEETING.matcher(path);
            if (!meeting.matches()) {
                response.sendError(404);
                return;
            }
            // Set by hand: Jetty's sendRedirect refuses a fragment, which RFC 9110 §10.2.2 allows in Location.
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", APP_PATH + "#/join/" + meeting.group(1));
        }
    }
}
