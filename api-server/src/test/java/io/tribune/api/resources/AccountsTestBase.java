package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.UserEventsRecorder;
import io.tribune.events.UserEvents;
import org.junit.jupiter.api.BeforeEach;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the accounts integration tests share: a client posing as its own IP per test, and the steps tests are
 * made of (register and log in, refresh, log in as the bootstrap admin, read a link id from the mail event,
 * read the audit log). Subclasses run their own app.
 */
abstract class AccountsTestBase {

    static final String ADMIN_EMAIL = "admin@tribune.test";
    static final String ADMIN_PASSWORD = "bootstrap admin password 1";
    static final String ISSUER = "http://127.0.0.1:8080";
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    ApiClient api;

    /** The subclass's app. */
    abstract DropwizardAppExtension<ApiServerConfiguration> appExtension();

    /** The subclass's recorder of {@code tribune.users}. */
    abstract UserEventsRecorder events();

    ApiServerApplication app() {
        return appExtension().getApplication();
    }

    @BeforeEach
    void newClient() {
        api = ApiClient.local(appExtension().getLocalPort());
    }

    /** A registered account with a fresh login. */
    record Account(String id, String username, String email, String password, String token, String refreshToken) {

        Account withLogin(Answer login) {
            return new Account(id, username, email, password, login.json().path("token").asText(),
                    login.json().path("refresh_token").asText());
        }
    }

    static String uniqueName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    Account registerAndLogin() {
        String name = uniqueName("u");
        String email = name + "@example.org";
        String password = "pass phrase " + UUID.randomUUID();
        Answer registered = register(name, email, password);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        Answer login = login(email, password);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return new Account(registered.json().path("user_id").asText(), name, email, password,
                login.json().path("token").asText(), login.json().path("refresh_token").asText());
    }

    Answer register(String username, String email, String password) {
        return api.post("/api/v1/users/register", null,
                Map.of("username", username, "email", email, "password", password));
    }

    Answer login(String email, String password) {
        return api.post("/api/v1/users/login", null, Map.of("email", email, "password", password));
    }

    Answer login(Account account) {
        return login(account.email(), account.password());
    }

    Answer refresh(String refreshToken) {
        return api.post("/api/v1/users/refresh", null, Map.of("refresh_token", refreshToken));
    }

    Answer me(Account account) {
        return api.get(userPath(account.id()), account.token());
    }

    String adminToken() {
        Answer login = api.fromRandomIp().post("/api/v1/users/login", null,
                Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.json().path("token").asText();
    }

    String adminId() {
        return claims(adminToken()).getSubject();
    }

    Account promote(Account account, String role) {
        Answer answer = api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("role", role));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return account;
    }

    static String userPath(String id) {
        return "/api/v1/users/" + id;
    }

    static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }

    String linkFor(Class<? extends Record> type, String userId, String email) {
        if (type == UserEvents.VerificationRequested.class) {
            return events().await(UserEvents.VerificationRequested.class,
                    e -> e.userId().equals(userId) && e.email().equals(email), EVENT_TIMEOUT).linkId();
        }
        return events().await(UserEvents.PasswordResetRequested.class,
                e -> e.userId().equals(userId) && e.email().equals(email), EVENT_TIMEOUT).linkId();
    }

    /** Entries of the audit log's first page (newest first) about {@code targetId}. */
    List<JsonNode> auditEntriesAbout(String targetId) {
        Answer page = api.get("/api/v1/admin/audit-log?size=100", adminToken());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        page.json().path("items").forEach(entry -> {
            if (entry.path("target_id").asText().equals(targetId)) {
                entries.add(entry);
            }
        });
        return entries;
    }
}
