package io.tribune.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for integration tests: what a browser or curl would see. */
public final class HttpTestClient {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpTestClient() {
    }

    public static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // A pooled keep-alive connection whose server already closed it (an app of an earlier test on a
                // reused port, or its idle timeout) answers nothing at all. The JDK client retries only idempotent
                // requests on it, so a POST fails although the server never saw it (CI saw this once): try again.
                if (attempt == 1 && String.valueOf(e.getMessage()).contains("header parser received no bytes")) {
                    continue;
                }
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
