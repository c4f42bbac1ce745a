package io.tribune.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The REST API as the journeys' people use it outside the browser: accounts, roles, JSON calls. */
final class ApiCalls {

    /** A signed-in person. */
    record Account(String id, String email, String password, String token, String refresh) {
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;

    /** @param base the api-server, e.g. {@code http://127.0.0.1:8080} */
    ApiCalls(String base) {
        this.base = base;
    }

    /** Registers someone new (a unique name from {@code name}, mail at {@code domain}) and logs them in. */
    Account account(String name, String domain) throws Exception {
        String unique = name + UUID.randomUUID().toString().substring(0, 8);
        String email = unique + "@" + domain;
        String password = "pass phrase " + UUID.randomUUID();
        JsonNode registered = call("POST", "/api/v1/users/register", null,
                Map.of("username", unique, "email", email, "password", password), 201);
        return login(new Account(registered.path("user_id").asText(), email, password, null, null));
    }

    /** Logs in again: a fresh token that carries the account's current role. */
    Account login(Account account) throws Exception {
        JsonNode login = call("POST", "/api/v1/users/login", null,
                Map.of("email", account.email(), "password", account.password()), 200);
        return new Account(account.id(), account.email(), account.password(), login.path("token").asText(),
                login.path("refresh_token").asText());
    }

    /** The admin makes {@code account} a platform host (who may hold town halls); log in again to use it. */
    void makeHost(Account account, String adminEmail, String adminPassword) throws Exception {
        String admin = call("POST", "/api/v1/users/login", null,
                Map.of("email", adminEmail, "password", adminPassword), 200).path("token").asText();
        call("PATCH", "/api/v1/admin/users/" + account.id(), admin, Map.of("role", "host"), 200);
    }

    /** A JSON request; asserts the status and answers the body. */
    JsonNode call(String method, String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }
}
