package io.tribune.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * JSON requests against a running api-server, as a browser would make them, for integration tests. Each client
 * poses as one client IP address ({@code X-Forwarded-For}; the test configuration trusts it), so that tests do
 * not share login-throttle counters. Immutable; thread-safe.
 */
public final class ApiClient {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    private final String baseUrl;
    private final String clientIp;

    public ApiClient(String baseUrl, String clientIp) {
        this.baseUrl = baseUrl;
        this.clientIp = clientIp;
    }

    /** A client at {@code http://127.0.0.1:port} with a random client IP from 10.0.0.0/8. */
    public static ApiClient local(int port) {
        return new ApiClient("http://127.0.0.1:" + port, randomIp());
    }

    /** The same server from another client IP address. */
    public ApiClient fromIp(String ip) {
        return new ApiClient(baseUrl, ip);
    }

    public ApiClient fromRandomIp() {
        return fromIp(randomIp());
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The client IP address this client poses as. */
    public String clientIp() {
        return clientIp;
    }

    /** An answer: status, headers and the body (parsed when it is JSON). */
    public record Answer(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Answer post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Answer patch(String path, String token, Object body) {
        return send("PATCH", path, token, body);
    }

    public Answer delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /**
     * @param path  from {@code /api/v1/...}
     * @param token the bearer token, or null for none
     * @param body  null, a String sent as is (raw JSON, possibly malformed), or an object serialised to JSON
     */
    public Answer send(String method, String path, String token, Object body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", clientIp)
                .header("Accept", "application/json");
        List<String> extra = new ArrayList<>(List.of(headers));
        if (token != null) {
            extra.add("Authorization");
            extra.add("Bearer " + token);
        }
        if (!extra.isEmpty()) {
            request.headers(extra.toArray(String[]::new));
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(body instanceof String raw ? raw : json(body)));
        }
        HttpResponse<String> response = HttpTestClient.send(request.build());
        return new Answer(response.statusCode(), response.headers(), response.body());
    }

    /** A request with a body sent as is, under any content type. */
    public Answer sendRaw(String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", clientIp)
                .header("Accept", "application/json")
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpTestClient.send(request.build());
        return new Answer(response.statusCode(), response.headers(), response.body());
    }

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String randomIp() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }
}
