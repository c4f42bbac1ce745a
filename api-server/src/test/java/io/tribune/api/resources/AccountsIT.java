package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.OffsetClock;
import io.tribune.api.TestApps;
import io.tribune.api.UserEventsRecorder;
import io.tribune.common.token.TokenVerifier;
import io.tribune.common.token.VerifiedToken;
import io.tribune.events.UserEvents;
import io.tribune.platform.PlatformExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts and auth over HTTP against the real platform (PostgreSQL, Redis, Kafka): one app for the whole class.
 * Every test makes its own accounts and poses as its own client IP, so tests do not depend on each other.
 */
@ExtendWith(PlatformExtension.class)
class AccountsIT {

    static final OffsetClock CLOCK = new OffsetClock();
    static final String ADMIN_EMAIL = "admin@tribune.test";
    static final String ADMIN_PASSWORD = "bootstrap admin password 1";
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    /** The real application on {@link #CLOCK}. */
    public static class App extends ApiServerApplication {
        public App() {
            super(CLOCK);
        }
    }

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(App.class);

    static UserEventsRecorder events;

    ApiClient api;

    @BeforeAll
    static void recordUserEvents() throws Exception {
        events = UserEventsRecorder.start(TestApps.urls().kafkaBootstrap());
    }

    @AfterAll
    static void stopRecording() throws InterruptedException {
        events.close();
    }

    @BeforeEach
    void newClient() {
        CLOCK.reset();
        api = ApiClient.local(APP.getLocalPort());
    }

    /** A registered account with a fresh login. */
    record Account(String id, String username, String email, String password, String token, String refreshToken) {
    }

    Account registerAndLogin() {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String email = name + "@example.org";
        String password = "pass phrase " + UUID.randomUUID();
        Answer registered = api.post("/api/v1/users/register", null,
                Map.of("username", name, "email", email, "password", password));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        Answer login = login(email, password);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return new Account(registered.json().path("user_id").asText(), name, email, password,
                login.json().path("token").asText(), login.json().path("refresh_token").asText());
    }

    Answer login(String email, String password) {
        return api.post("/api/v1/users/login", null, Map.of("email", email, "password", password));
    }

    String adminToken() {
        Answer login = api.fromRandomIp().post("/api/v1/users/login", null,
                Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.json().path("token").asText();
    }

    static String userPath(String id) {
        return "/api/v1/users/" + id;
    }

    @Nested
    class WhenRegistering {

        @Test
        void returns201WithTheProfileAndItsLocation() {
            String name = "reg" + UUID.randomUUID().toString().substring(0, 8);

            Answer answer = api.post("/api/v1/users/register", null,
                    Map.of("username", name, "email", name + "@Example.org", "password", "a long enough secret"));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
            JsonNode body = answer.json();
            assertThat(UUID.fromString(body.path("user_id").asText())).isNotNull();
            assertThat(body.path("username").asText()).isEqualTo(name);
            assertThat(body.path("email").asText()).isEqualTo(name + "@Example.org");
            assertThat(body.path("role").asText()).isEqualTo("member");
            assertThat(body.path("email_verified").asBoolean(true)).isFalse();
            assertThat(body.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
            assertThat(body.has("password")).isFalse();
            assertThat(body.has("password_hash")).isFalse();
            assertThat(answer.header("Location")).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/api/v1/users/" + body.path("user_id").asText()));
        }

        @Test
        void publishesRegisteredAndAVerificationRequestWithALinkIdButNoSecret() {
            Account account = registerAndLogin();

            UserEvents.Registered registered = events.await(UserEvents.Registered.class,
                    e -> e.userId().equals(account.id()), EVENT_TIMEOUT);
            UserEvents.VerificationRequested verification = events.await(UserEvents.VerificationRequested.class,
                    e -> e.userId().equals(account.id()), EVENT_TIMEOUT);

            assertThat(registered.username()).isEqualTo(account.username());
            assertThat(registered.email()).isEqualTo(account.email());
            assertThat(verification.email()).isEqualTo(account.email());
            assertThat(verification.linkId()).matches("[A-Za-z0-9_-]{43}");
            assertThat(verification.toString()).doesNotContain(account.password());
        }

        @Test
        void refusesATakenEmailIgnoringCaseWith409NamingTheField() {
            Account account = registerAndLogin();

            Answer answer = api.post("/api/v1/users/register", null, Map.of("username", "other" + account.username(),
                    "email", account.email().toUpperCase(), "password", "another long secret"));

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("code").asText()).isEqualTo("email_taken");
            assertThat(answer.json().path("details").has("email")).isTrue();
        }

        @Test
        void refusesATakenUsernameIgnoringCaseWith409NamingTheField() {
            Account account = registerAndLogin();

            Answer answer = api.post("/api/v1/users/register", null, Map.of("username",
                    account.username().toUpperCase(), "email", "x" + account.email(), "password", "another secret!"));

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("code").asText()).isEqualTo("username_taken");
            assertThat(answer.json().path("details").has("username")).isTrue();
        }
    }

    @Nested
    class WhenLoggingIn {

        @Test
        void returnsAnEs256AccessTokenFor900SecondsAndARefreshToken() throws Exception {
            Account account = registerAndLogin();

            Answer answer = login(account.email(), account.password());

            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = answer.json();
            assertThat(body.path("user_id").asText()).isEqualTo(account.id());
            assertThat(body.path("expires_in").asLong()).isEqualTo(900);
            assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.path("refresh_token").asText()).matches("[A-Za-z0-9_-]{43}");
            assertThat(answer.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
            VerifiedToken token = new TokenVerifier(APP.<ApiServerApplication>getApplication().signingKeys(),
                    "http://127.0.0.1:8080", Clock.systemUTC(), Duration.ZERO)
                    .verify(body.path("token").asText(), "api");
            assertThat(token.subject()).isEqualTo(account.id());
            assertThat(token.string("role")).isEqualTo("member");
            assertThat(token.string("sid")).isNotBlank();
            assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofMinutes(15));
        }

        @Test
        void answers401ForAWrongPasswordAndForAnUnknownAddressAlike() {
            Account account = registerAndLogin();

            Answer wrongPassword = login(account.email(), "not the password at all");
            Answer unknown = login("nobody-" + UUID.randomUUID() + "@example.org", "whatever password");

            assertThat(wrongPassword.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(wrongPassword.json().path("code").asText()).isEqualTo("invalid_credentials");
            assertThat(unknown.json()).isEqualTo(wrongPassword.json());
        }

        @Test
        void letsTheBootstrapAdminInAsAdmin() {
            Answer login = login(ADMIN_EMAIL, ADMIN_PASSWORD);

            assertThat(login.status()).as(login.toString()).isEqualTo(200);
            Answer me = api.get(userPath(login.json().path("user_id").asText()), login.json().path("token").asText());
            assertThat(me.json().path("role").asText()).isEqualTo("admin");
            assertThat(me.json().path("email_verified").asBoolean()).isTrue();
        }
    }

    @Nested
    class WhenReadingAProfile {

        @Test
        void returnsTheOwnProfile() {
            Account account = registerAndLogin();

            Answer answer = api.get(userPath(account.id()), account.token());

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("user_id").asText()).isEqualTo(account.id());
            assertThat(answer.json().path("username").asText()).isEqualTo(account.username());
            assertThat(answer.json().path("email").asText()).isEqualTo(account.email());
        }

        @Test
        void answers401JsonWithABearerChallengeWithoutAToken() {
            Account account = registerAndLogin();

            Answer answer = api.get(userPath(account.id()), null);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().path("code").asText()).isEqualTo("unauthorized");
            assertThat(answer.json().has("details")).isTrue();
            assertThat(answer.header("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer realm="));
        }
    }

    @Nested
    class WhenFetchingTheJwks {

        @Test
        void servesOnlyPublicKeysCacheableForFiveMinutes() throws Exception {
            Answer answer = api.get("/api/v1/.well-known/jwks.json", null);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age=300"));
            JWKSet jwks = JWKSet.parse(answer.body());
            assertThat(jwks.getKeys()).isNotEmpty().allSatisfy(key -> {
                assertThat(key.isPrivate()).isFalse();
                assertThat(key.getKeyType().getValue()).isEqualTo("EC");
            });
            assertThat(answer.body()).doesNotContain("\"d\"");
        }
    }
}
