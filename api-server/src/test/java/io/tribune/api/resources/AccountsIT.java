package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.OffsetClock;
import io.tribune.api.TestApps;
import io.tribune.api.UserEventsRecorder;
import io.tribune.api.core.ExpiredCredentialsSweeper;
import io.tribune.api.core.UserDataExporter;
import io.tribune.api.errors.ApiException;
import io.tribune.common.token.TokenVerifier;
import io.tribune.common.token.VerifiedToken;
import io.tribune.events.UserEvents;
import io.tribune.platform.PlatformExtension;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts as their holders use them, over HTTP against the real platform (PostgreSQL, Redis, Kafka), one app
 * for the whole class: registration, login and throttling, refresh and logout, profile, email verification,
 * password reset, erasure, export, JWKS. Every test makes its own accounts and poses as its own client IP, so
 * tests do not depend on each other. Link ids are read from the events on {@code tribune.users}, as the mailer
 * gets them. Expiry is tested by moving the app's clock.
 */
@ExtendWith(PlatformExtension.class)
class AccountsIT extends AccountsTestBase {

    static final OffsetClock CLOCK = new OffsetClock();

    /** The real application on {@link #CLOCK}. */
    public static class App extends ApiServerApplication {
        public App() {
            super(CLOCK);
        }
    }

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(App.class);

    static UserEventsRecorder events;
    /** "userId erasedBy inTransaction emailStillPresent" per erasure the test listener saw. */
    static final List<String> erasures = new CopyOnWriteArrayList<>();
    /** Accounts whose erasure the test listener refuses, as meetings code might. */
    static final Set<String> refuseErasure = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void recordUserEventsAndPlugIntoTheAccountLifecycle() throws Exception {
        events = UserEventsRecorder.start(TestApps.urls().kafkaBootstrap());
        ApiServerApplication app = APP.getApplication();
        app.userDataHooks().addErasureListener((handle, userId, erasedBy) -> {
            if (refuseErasure.contains(userId.toString())) {
                throw new ApiException(409, "meetings_pending", "Hand over your meetings first.");
            }
            String email = handle.createQuery("SELECT email FROM users WHERE id = :id").bind("id", userId)
                    .mapTo(String.class).one();
            erasures.add(userId + " " + erasedBy + " " + handle.isInTransaction() + " " + (email != null));
        });
        app.userDataHooks().addExporter(new UserDataExporter() {
            @Override
            public String section() {
                return "test_notes";
            }

            @Override
            public Object export(Handle handle, UUID userId) {
                return Map.of("user_id", userId.toString(), "in_transaction", handle.isInTransaction());
            }
        });
    }

    @AfterAll
    static void stopRecording() {
        events.close();
    }

    @BeforeEach
    void realTime() {
        CLOCK.reset();
    }

    @Override
    DropwizardAppExtension<ApiServerConfiguration> appExtension() {
        return APP;
    }

    @Override
    UserEventsRecorder events() {
        return events;
    }

    // --- Registration -----------------------------------------------------------------------------------------

    @Nested
    class WhenRegistering {

        @Test
        void returns201WithTheProfileAndItsLocation() {
            String name = uniqueName("reg");

            Answer answer = register(name, name + "@Example.org", "a long enough secret");

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
            String storedLink = app().jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT encode(id_hash, 'hex') FROM one_time_links WHERE user_id = :id")
                    .bind("id", UUID.fromString(account.id())).mapTo(String.class).one());
            assertThat(storedLink).as("only the hash is stored").hasSize(64).doesNotContain(verification.linkId());
        }

        @Test
        void storesThePasswordOnlyAsAnArgon2idHash() {
            Account account = registerAndLogin();

            String stored = app().jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT password_hash FROM users WHERE id = :id")
                    .bind("id", UUID.fromString(account.id())).mapTo(String.class).one());

            assertThat(stored).startsWith("$argon2id$v=19$").doesNotContain(account.password());
        }

        @Test
        void refusesATakenEmailIgnoringCaseWith409NamingTheField() {
            Account account = registerAndLogin();

            Answer answer = register("other" + account.username(), account.email().toUpperCase(),
                    "another long secret");

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("code").asText()).isEqualTo("email_taken");
            assertThat(answer.json().path("details").has("email")).isTrue();
        }

        @Test
        void refusesATakenUsernameIgnoringCaseWith409NamingTheField() {
            Account account = registerAndLogin();

            Answer answer = register(account.username().toUpperCase(), "x" + account.email(), "another secret!");

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("code").asText()).isEqualTo("username_taken");
            assertThat(answer.json().path("details").has("username")).isTrue();
        }

        @ParameterizedTest(name = "{0}={1} -> 422")
        @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
                username | ab
                username | a-name-that-is-longer-than-forty-characters
                username | has space
                username | <script>alert(1)</script>
                username | x'; DROP TABLE users;--
                username | NULL
                email    | not-an-email
                email    | someone@localhost
                email    | two@@example.org
                email    | <b>x</b>@example.org
                email    | NULL
                password | NULL
                password | short
                password | 1234567890
                """)
        void refusesAnInvalidFieldWith422NamingIt(String field, String value) {
            Map<String, Object> body = new HashMap<>(Map.of("username", uniqueName("v"),
                    "email", uniqueName("v") + "@example.org", "password", "a perfectly fine secret"));
            body.put(field, value);

            Answer answer = api.post("/api/v1/users/register", null, body);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
            assertThat(answer.json().path("code").asText()).isEqualTo("validation_failed");
            assertThat(answer.json().path("details").has(field)).as(answer.toString()).isTrue();
        }

        @Test
        void refusesOversizedFieldsWith422() {
            Answer email = register(uniqueName("big"), "a".repeat(64) + "@" + "b".repeat(190) + ".org",
                    "a perfectly fine secret");
            Answer password = register(uniqueName("big"), uniqueName("big") + "@example.org", "p".repeat(129));

            assertThat(email.status()).isEqualTo(422);
            assertThat(email.json().path("details").has("email")).isTrue();
            assertThat(password.status()).isEqualTo(422);
            assertThat(password.json().path("details").has("password")).isTrue();
        }

        @Test
        void refusesAPasswordEqualToTheEmailAddress() {
            String email = uniqueName("same") + "@example.org";

            Answer answer = register(uniqueName("same"), email, email.toUpperCase());

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.json().path("details").path("password").asText()).contains("email");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                malformed JSON           | {"username": "abc", "email":
                number for a string      | {"username": 12345, "email": "n@example.org", "password": "long secret 1"}
                array for a string       | {"username": "abcde", "email": ["n@example.org"], "password": "long s 1"}
                boolean for a string     | {"username": "abcde", "email": "n@example.org", "password": true}
                not an object            | ["username", "email"]
                """)
        void answers400ForABodyThatIsNotTheExpectedJson(String what, String body) {
            Answer answer = api.post("/api/v1/users/register", null, body);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.json().path("code").asText()).isEqualTo("invalid_json");
            assertThat(answer.json().has("message")).isTrue();
            assertThat(answer.json().has("details")).isTrue();
        }

        @Test
        void namesTheFieldOfAWrongType() {
            Answer answer = api.post("/api/v1/users/register", null,
                    "{\"username\": \"abcde\", \"email\": \"n@example.org\", \"password\": 1234567890123}");

            assertThat(answer.json().path("details").path("field").asText()).isEqualTo("password");
        }

        @Test
        void answers422ForAMissingBody() {
            Answer answer = api.send("POST", "/api/v1/users/register", null, null, "Content-Type",
                    "application/json");

            assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
            assertThat(answer.json().path("details").has("body")).isTrue();
        }

        @Test
        void storesAnAddressWithSqlAndMarkupCharactersVerbatimAndReturnsItAsJsonText() {
            String email = "o'brien+x&y=1%27--" + uniqueName("") + "@example.org";

            Answer registered = register(uniqueName("q"), email, "quotes are fine here");
            Answer login = login(email, "quotes are fine here");

            assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
            assertThat(registered.json().path("email").asText()).isEqualTo(email);
            assertThat(login.status()).isEqualTo(200);
            Answer me = api.get(userPath(registered.json().path("user_id").asText()),
                    login.json().path("token").asText());
            assertThat(me.json().path("email").asText()).isEqualTo(email);
        }
    }

    @Nested
    class WhenARequestIsMalformed {

        @ParameterizedTest(name = "{0} {1} {2} -> {3}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                POST  | /users/login                  | {"email": null, "password": null}              | 422
                POST  | /users/login                  | {"email": {"$ne": 1}, "password": "x"}         | 400
                POST  | /users/login                  | {"email": "a@example.org"}                     | 422
                POST  | /users/login                  | {"email": "a\\u0000@x.org", "password": "p"}   | 422
                POST  | /users/refresh                | {"refresh_token": "\\u0000"}                   | 401
                POST  | /users/refresh                | {"refresh_token": 42}                          | 400
                POST  | /users/verify-email           | {"link_id": 42}                                | 400
                POST  | /users/verify-email           | {}                                             | 422
                POST  | /users/password-reset         | {"email": "x@y"}                               | 422
                POST  | /users/password-reset         | {"email": "a\\u0000@x.org"}                    | 422
                POST  | /users/password-reset/confirm | {"link_id": "x", "new_password": ""}           | 422
                PATCH | /users/{self}                 | {"username": ""}                               | 422
                PATCH | /users/{self}                 | {"email": "no"}                                | 422
                PATCH | /users/{self}                 | {"username": ["a", "b"]}                       | 400
                PATCH | /users/{self}                 | null                                           | 422
                GET   | /users/{self}x                |                                                | 403
                PUT   | /users/{self}                 | {}                                             | 405
                GET   | /users                        |                                                | 404
                """)
        void answersA4xxJsonErrorNeverA500(String method, String path, String body, int expected) {
            Account account = registerAndLogin();

            String url = "/api/v1" + path.replace("{self}", account.id());
            Answer answer = body == null
                    ? api.send(method, url, account.token(), null)
                    : api.sendRaw(method, url, account.token(), "application/json", body);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(expected);
            assertThat(answer.json().path("code").asText()).isNotBlank();
            assertThat(answer.json().has("message")).isTrue();
            assertThat(answer.json().has("details")).isTrue();
        }

        @Test
        void answers415ForABodyThatIsNotJson() {
            Answer answer = api.sendRaw("POST", "/api/v1/users/login", null, "text/plain", "hello");

            assertThat(answer.status()).isEqualTo(415);
            assertThat(answer.json().path("code").asText()).isEqualTo("unsupported_media_type");
        }

        @Test
        void refusesAnOversizedOrControlCharacterSearchWith400() {
            Answer oversized = api.get("/api/v1/admin/users?q=" + "x".repeat(300), adminToken());
            Answer nul = api.get("/api/v1/admin/users?q=a%00b", adminToken());

            assertThat(oversized.status()).isEqualTo(400);
            assertThat(oversized.json().path("details").has("q")).isTrue();
            assertThat(nul.status()).as(nul.toString()).isEqualTo(400);
            assertThat(nul.json().path("details").has("q")).isTrue();
        }
    }

    // --- Login and throttling ---------------------------------------------------------------------------------

    @Nested
    class WhenLoggingIn {

        @Test
        void returnsAnEs256AccessTokenFor900SecondsAndARefreshToken() throws Exception {
            Account account = registerAndLogin();

            Answer answer = login(account);

            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = answer.json();
            assertThat(body.path("user_id").asText()).isEqualTo(account.id());
            assertThat(body.path("expires_in").asLong()).isEqualTo(900);
            assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.path("refresh_token").asText()).matches("[A-Za-z0-9_-]{43}");
            assertThat(answer.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
            VerifiedToken token = new TokenVerifier(app().signingKeys(), ISSUER, Clock.systemUTC(), Duration.ZERO)
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
        void treatsSqlInTheAddressAsText() {
            Answer answer = login("' OR '1'='1' --", "' OR '1'='1' --");

            assertThat(answer.status()).isEqualTo(401);
        }

        @Test
        void acceptsTheAddressInAnyCase() {
            Account account = registerAndLogin();

            assertThat(login(account.email().toUpperCase(), account.password()).status()).isEqualTo(200);
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
    class WhenLoginsFail {

        @Test
        void answers429WithRetryAfterOnceAnAccountHadFiveFailuresEvenForTheRightPassword() {
            Account account = registerAndLogin();
            for (int i = 0; i < 5; i++) {
                assertThat(login(account.email(), "wrong password " + i).status()).isEqualTo(401);
            }

            Answer throttled = login(account);
            Answer fromElsewhere = api.fromRandomIp().post("/api/v1/users/login", null,
                    Map.of("email", account.email(), "password", account.password()));

            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.json().path("code").asText()).isEqualTo("too_many_attempts");
            long retryAfter = Long.parseLong(throttled.header("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 900L);
            assertThat(throttled.json().path("details").path("retry_after_seconds").asLong()).isEqualTo(retryAfter);
            assertThat(fromElsewhere.status()).as("the account is throttled from every IP").isEqualTo(429);
        }

        @Test
        void answers429ToAnIpAddressAfterTwentyFailuresAcrossAccounts() {
            Account account = registerAndLogin();
            for (int i = 0; i < 20; i++) {
                assertThat(login("nobody-" + i + "-" + UUID.randomUUID() + "@example.org", "wrong password")
                        .status()).isEqualTo(401);
            }

            Answer sameIp = login(account);
            Answer otherIp = api.fromRandomIp().post("/api/v1/users/login", null,
                    Map.of("email", account.email(), "password", account.password()));

            assertThat(sameIp.status()).isEqualTo(429);
            assertThat(sameIp.header("Retry-After")).isPresent();
            assertThat(otherIp.status()).isEqualTo(200);
        }

        @Test
        void neverCountsSuccessfulLogins() {
            Account account = registerAndLogin();

            for (int i = 0; i < 25; i++) {
                assertThat(login(account).status()).as("login " + i).isEqualTo(200);
            }
        }

        @Test
        void startsTheAccountCountOverAfterASuccessfulLogin() {
            Account account = registerAndLogin();
            for (int i = 0; i < 4; i++) {
                login(account.email(), "wrong password " + i);
            }
            assertThat(login(account).status()).isEqualTo(200);
            for (int i = 0; i < 4; i++) {
                login(account.email(), "wrong again " + i);
            }

            assertThat(login(account).status()).isEqualTo(200);
        }
    }

    // --- Refresh and logout -----------------------------------------------------------------------------------

    @Nested
    class WhenRefreshing {

        @Test
        void issuesANewAccessTokenAndTheNextRefreshTokenOfTheSameSession() {
            Account account = registerAndLogin();

            Answer answer = refresh(account.refreshToken());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            String next = answer.json().path("refresh_token").asText();
            assertThat(next).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(account.refreshToken());
            assertThat(answer.json().path("expires_in").asLong()).isEqualTo(900);
            String token = answer.json().path("token").asText();
            assertThat(claims(token).getClaim("sid")).isEqualTo(claims(account.token()).getClaim("sid"));
            assertThat(api.get(userPath(account.id()), token).status()).isEqualTo(200);
            assertThat(refresh(next).status()).isEqualTo(200);
        }

        @Test
        void refusesARotatedTokenAndEndsTheWholeSession() {
            Account account = registerAndLogin();
            String next = refresh(account.refreshToken()).json().path("refresh_token").asText();

            Answer reuse = refresh(account.refreshToken());

            assertThat(reuse.status()).isEqualTo(401);
            assertThat(reuse.json().path("code").asText()).isEqualTo("refresh_token_reused");
            assertThat(refresh(next).status()).as("the newest token of the family is revoked too").isEqualTo(401);
            assertThat(me(account).status()).as("and the session's access tokens").isEqualTo(401);
            assertThat(auditEntriesAbout(account.id())).anySatisfy(entry ->
                    assertThat(entry.path("action").asText()).isEqualTo("session.refresh_token_reused"));
        }

        @Test
        void decidesTwoConcurrentRefreshesWithOneTokenOneAtATime() {
            Account account = registerAndLogin();

            List<CompletableFuture<Answer>> both = List.of(
                    CompletableFuture.supplyAsync(() -> refresh(account.refreshToken())),
                    CompletableFuture.supplyAsync(() -> refresh(account.refreshToken())));
            List<Answer> answers = both.stream().map(CompletableFuture::join).toList();

            assertThat(answers).extracting(Answer::status).containsExactlyInAnyOrder(200, 401);
            assertThat(answers).filteredOn(answer -> answer.status() == 401).singleElement()
                    .satisfies(answer -> assertThat(answer.json().path("code").asText())
                            .isEqualTo("refresh_token_reused"));
        }

        @Test
        void leavesTheAccountsOtherSessionsAloneOnReuse() {
            Account account = registerAndLogin();
            Account otherSession = account.withLogin(login(account));
            refresh(account.refreshToken());

            refresh(account.refreshToken());

            assertThat(me(otherSession).status()).isEqualTo(200);
            assertThat(refresh(otherSession.refreshToken()).status()).isEqualTo(200);
        }

        @Test
        void refusesAnUnknownTokenWith401() {
            Answer answer = refresh("A".repeat(43));

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().path("code").asText()).isEqualTo("invalid_refresh_token");
        }

        @Test
        void refusesATokenPastItsThirtyDays() {
            Account account = registerAndLogin();

            CLOCK.advance(Duration.ofDays(30).plusMinutes(1));
            Answer answer = refresh(account.refreshToken());

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().path("code").asText()).isEqualTo("invalid_refresh_token");
        }

        @Test
        void answers422WithoutAToken() {
            Answer answer = api.post("/api/v1/users/refresh", null, Map.of());

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.json().path("details").has("refresh_token")).isTrue();
        }
    }

    @Nested
    class WhenLoggingOut {

        @Test
        void endsTheAccessTokenAtOnceAndItsRefreshToken() {
            Account account = registerAndLogin();
            assertThat(me(account).status()).isEqualTo(200);

            Answer answer = api.post("/api/v1/users/logout", account.token(), null);

            assertThat(answer.status()).isEqualTo(204);
            assertThat(me(account).status()).isEqualTo(401);
            assertThat(refresh(account.refreshToken()).status()).isEqualTo(401);
        }

        @Test
        void refusesATokenInTheQueryStringWhereLogsWouldKeepIt() {
            Account account = registerAndLogin();

            Answer answer = api.post("/api/v1/users/logout?access_token=" + account.token(), null, null);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(me(account).status()).as("the session is still open").isEqualTo(200);
        }

        @Test
        void endsOnlyThatSession() {
            Account account = registerAndLogin();
            Account otherSession = account.withLogin(login(account));

            api.post("/api/v1/users/logout", account.token(), null);

            assertThat(me(otherSession).status()).isEqualTo(200);
            assertThat(refresh(otherSession.refreshToken()).status()).isEqualTo(200);
        }

        @Test
        void recordsTheRevocationInPostgresqlAsWell() {
            Account account = registerAndLogin();

            api.post("/api/v1/users/logout", account.token(), null);

            String reason = app().jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT revoked_reason FROM sessions WHERE id = :id")
                    .bind("id", UUID.fromString((String) claims(account.token()).getClaim("sid")))
                    .mapTo(String.class).one());
            assertThat(reason).isEqualTo("logout");
        }
    }

    // --- Profile ----------------------------------------------------------------------------------------------

    @Nested
    class WhenReadingAProfile {

        @Test
        void returnsTheOwnProfile() {
            Account account = registerAndLogin();

            Answer answer = me(account);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("user_id").asText()).isEqualTo(account.id());
            assertThat(answer.json().path("username").asText()).isEqualTo(account.username());
            assertThat(answer.json().path("email").asText()).isEqualTo(account.email());
            assertThat(answer.json().path("created_at").isTextual()).isTrue();
        }

        @Test
        void answers401JsonWithABearerChallengeWithoutAToken() {
            Account account = registerAndLogin();

            Answer answer = api.get(userPath(account.id()), null);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().path("code").asText()).isEqualTo("unauthorized");
            assertThat(answer.json().has("message")).isTrue();
            assertThat(answer.json().has("details")).isTrue();
            assertThat(answer.header("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer realm="));
        }

        @Test
        void answersAnotherMember403WhetherOrNotTheAccountExists() {
            Account account = registerAndLogin();
            Account other = registerAndLogin();

            Answer existing = api.get(userPath(account.id()), other.token());
            Answer missing = api.get(userPath(UUID.randomUUID().toString()), other.token());

            assertThat(existing.status()).isEqualTo(403);
            assertThat(existing.json().path("code").asText()).isEqualTo("forbidden");
            assertThat(missing.status()).isEqualTo(403);
            assertThat(missing.json()).isEqualTo(existing.json());
        }

        @Test
        void answersAnAdmin404ForAnIdWithoutAccount() {
            assertThat(api.get(userPath(UUID.randomUUID().toString()), adminToken()).status()).isEqualTo(404);
            assertThat(api.get(userPath("not-a-uuid"), adminToken()).status()).isEqualTo(404);
        }
    }

    @Nested
    class WhenChangingAProfile {

        @Test
        void changesTheUsernameAndPublishesUserUpdated() {
            Account account = registerAndLogin();
            String name = uniqueName("renamed");

            Answer answer = api.patch(userPath(account.id()), account.token(), Map.of("username", name));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().path("username").asText()).isEqualTo(name);
            assertThat(me(account).json().path("username").asText()).isEqualTo(name);
            UserEvents.Updated updated = events.await(UserEvents.Updated.class,
                    e -> e.userId().equals(account.id()), EVENT_TIMEOUT);
            assertThat(updated.username()).isEqualTo(name);
            assertThat(updated.email()).isEqualTo(account.email());
        }

        @Test
        void resetsVerificationWhenTheEmailChangesAndMailsTheNewAddress() {
            Account account = registerAndLogin();
            String oldLink = linkFor(UserEvents.VerificationRequested.class, account.id(), account.email());
            assertThat(api.post("/api/v1/users/verify-email", null, Map.of("link_id", oldLink)).status())
                    .isEqualTo(200);
            String newEmail = uniqueName("moved") + "@example.org";

            Answer answer = api.patch(userPath(account.id()), account.token(), Map.of("email", newEmail));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().path("email").asText()).isEqualTo(newEmail);
            assertThat(answer.json().path("email_verified").asBoolean(true)).isFalse();
            String newLink = linkFor(UserEvents.VerificationRequested.class, account.id(), newEmail);
            Answer verified = api.post("/api/v1/users/verify-email", null, Map.of("link_id", newLink));
            assertThat(verified.json().path("email_verified").asBoolean()).isTrue();
            assertThat(login(newEmail, account.password()).status()).isEqualTo(200);
            assertThat(login(account.email(), account.password()).status()).isEqualTo(401);
        }

        @Test
        void changesThePasswordWithTheCurrentOneAndEndsTheOtherSessions() {
            Account account = registerAndLogin();
            Account otherSession = account.withLogin(login(account));

            Answer answer = api.patch(userPath(account.id()), account.token(),
                    Map.of("current_password", account.password(), "new_password", "a brand new pass phrase"));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(login(account.email(), "a brand new pass phrase").status()).isEqualTo(200);
            assertThat(login(account).status()).isEqualTo(401);
            assertThat(me(account).status()).as("this session goes on").isEqualTo(200);
            assertThat(me(otherSession).status()).as("other sessions end").isEqualTo(401);
            assertThat(refresh(otherSession.refreshToken()).status()).isEqualTo(401);
        }

        @Test
        void refusesAPasswordChangeWithoutTheCurrentPassword() {
            Account account = registerAndLogin();

            Answer answer = api.patch(userPath(account.id()), account.token(),
                    Map.of("new_password", "a brand new pass phrase"));

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.json().path("details").has("current_password")).isTrue();
        }

        @Test
        void refusesAPasswordChangeWithAWrongCurrentPassword() {
            Account account = registerAndLogin();

            Answer answer = api.patch(userPath(account.id()), account.token(),
                    Map.of("current_password", "not my password", "new_password", "a brand new pass phrase"));

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.json().path("code").asText()).isEqualTo("wrong_password");
            assertThat(answer.json().path("details").has("current_password")).isTrue();
            assertThat(login(account).status()).isEqualTo(200);
        }

        @Test
        void refusesAWeakNewPassword() {
            Account account = registerAndLogin();

            Answer answer = api.patch(userPath(account.id()), account.token(),
                    Map.of("current_password", account.password(), "new_password", "qwertyuiop"));

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.json().path("details").has("new_password")).isTrue();
        }

        @Test
        void refusesATakenUsernameWith409() {
            Account account = registerAndLogin();
            Account other = registerAndLogin();

            Answer answer = api.patch(userPath(account.id()), account.token(), Map.of("username", other.username()));

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("details").has("username")).isTrue();
        }

        @Test
        void refusesAnEmptyChangeWith422() {
            Account account = registerAndLogin();

            Answer answer = api.patch(userPath(account.id()), account.token(), Map.of());

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.json().path("details").has("body")).isTrue();
        }

        @Test
        void letsAnAdminRenameAnotherAccountAndAuditsIt() {
            Account account = registerAndLogin();
            String name = uniqueName("byadmin");

            Answer answer = api.patch(userPath(account.id()), adminToken(), Map.of("username", name));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(auditEntriesAbout(account.id())).anySatisfy(entry -> {
                assertThat(entry.path("action").asText()).isEqualTo("user.updated_by_admin");
                assertThat(entry.path("details").path("fields").toString()).contains("username");
                assertThat(entry.path("details").toString()).doesNotContain(name);
            });
        }

        @Test
        void refusesAnAdminChangingAnotherAccountsPassword() {
            Account account = registerAndLogin();

            Answer answer = api.patch(userPath(account.id()), adminToken(),
                    Map.of("current_password", "guess", "new_password", "an admin's chosen secret"));

            assertThat(answer.status()).isEqualTo(403);
            assertThat(login(account).status()).isEqualTo(200);
        }
    }

    // --- Email verification and password reset ----------------------------------------------------------------

    @Nested
    class WhenVerifyingAnEmailAddress {

        @Test
        void verifiesWithTheLinkFromTheMailOnce() {
            Account account = registerAndLogin();
            String link = linkFor(UserEvents.VerificationRequested.class, account.id(), account.email());

            Answer first = api.post("/api/v1/users/verify-email", null, Map.of("link_id", link));
            Answer second = api.post("/api/v1/users/verify-email", null, Map.of("link_id", link));

            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            assertThat(first.json().path("email_verified").asBoolean()).isTrue();
            assertThat(me(account).json().path("email_verified").asBoolean()).isTrue();
            assertThat(second.status()).isEqualTo(400);
            assertThat(second.json().path("code").asText()).isEqualTo("invalid_link");
        }

        @Test
        void refusesALinkPastItsDay() {
            Account account = registerAndLogin();
            String link = linkFor(UserEvents.VerificationRequested.class, account.id(), account.email());

            CLOCK.advance(Duration.ofHours(24).plusMinutes(1));
            Answer answer = api.post("/api/v1/users/verify-email", null, Map.of("link_id", link));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("code").asText()).isEqualTo("invalid_link");
        }

        @Test
        void refusesAnUnknownLinkAndAMalformedOne() {
            Answer unknown = api.post("/api/v1/users/verify-email", null, Map.of("link_id", "B".repeat(43)));
            Answer malformed = api.post("/api/v1/users/verify-email", null, Map.of("link_id", "<script>"));

            assertThat(unknown.status()).isEqualTo(400);
            assertThat(malformed.status()).isEqualTo(422);
            assertThat(malformed.json().path("details").has("link_id")).isTrue();
        }
    }

    @Nested
    class WhenResettingAPassword {

        @Test
        void answers202AndMailsALinkForAKnownAddress() {
            Account account = registerAndLogin();

            Answer answer = api.post("/api/v1/users/password-reset", null, Map.of("email", account.email()));

            assertThat(answer.status()).isEqualTo(202);
            UserEvents.PasswordResetRequested requested = events.await(UserEvents.PasswordResetRequested.class,
                    e -> e.userId().equals(account.id()), EVENT_TIMEOUT);
            assertThat(requested.linkId()).matches("[A-Za-z0-9_-]{43}");
            assertThat(requested.email()).isEqualTo(account.email());
        }

        @Test
        void answersAnUnknownAddressExactlyAlikeAndMailsNothing() {
            Account account = registerAndLogin();
            String unknownEmail = uniqueName("nobody") + "@example.org";

            Answer known = api.post("/api/v1/users/password-reset", null, Map.of("email", account.email()));
            Answer unknown = api.post("/api/v1/users/password-reset", null, Map.of("email", unknownEmail));

            assertThat(unknown.status()).isEqualTo(202);
            assertThat(unknown.body()).isEqualTo(known.body());
            events.await(UserEvents.PasswordResetRequested.class, e -> e.userId().equals(account.id()),
                    EVENT_TIMEOUT);
            assertThat(events.all(UserEvents.PasswordResetRequested.class))
                    .noneMatch(e -> e.email().equals(unknownEmail));
        }

        @Test
        void setsTheNewPasswordOnceAndEndsEverySession() {
            Account account = registerAndLogin();
            api.post("/api/v1/users/password-reset", null, Map.of("email", account.email()));
            String link = linkFor(UserEvents.PasswordResetRequested.class, account.id(), account.email());

            Answer confirmed = api.post("/api/v1/users/password-reset/confirm", null,
                    Map.of("link_id", link, "new_password", "reset to something new"));
            Answer again = api.post("/api/v1/users/password-reset/confirm", null,
                    Map.of("link_id", link, "new_password", "and once more please"));

            assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);
            assertThat(me(account).status()).isEqualTo(401);
            assertThat(refresh(account.refreshToken()).status()).isEqualTo(401);
            assertThat(login(account).status()).isEqualTo(401);
            assertThat(login(account.email(), "reset to something new").status()).isEqualTo(200);
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.json().path("code").asText()).isEqualTo("invalid_link");
        }

        @Test
        void refusesAWeakPasswordAndLeavesTheLinkUsable() {
            Account account = registerAndLogin();
            api.post("/api/v1/users/password-reset", null, Map.of("email", account.email()));
            String link = linkFor(UserEvents.PasswordResetRequested.class, account.id(), account.email());

            Answer weak = api.post("/api/v1/users/password-reset/confirm", null,
                    Map.of("link_id", link, "new_password", account.email()));
            Answer good = api.post("/api/v1/users/password-reset/confirm", null,
                    Map.of("link_id", link, "new_password", "a strong replacement"));

            assertThat(weak.status()).isEqualTo(422);
            assertThat(weak.json().path("details").has("new_password")).isTrue();
            assertThat(good.status()).isEqualTo(204);
        }

        @Test
        void refusesALinkPastItsHour() {
            Account account = registerAndLogin();
            api.post("/api/v1/users/password-reset", null, Map.of("email", account.email()));
            String link = linkFor(UserEvents.PasswordResetRequested.class, account.id(), account.email());

            CLOCK.advance(Duration.ofMinutes(61));
            Answer answer = api.post("/api/v1/users/password-reset/confirm", null,
                    Map.of("link_id", link, "new_password", "too late for this"));

            assertThat(answer.status()).isEqualTo(400);
            CLOCK.reset();
            assertThat(login(account).status()).isEqualTo(200);
        }
    }

    // --- Erasure and export -----------------------------------------------------------------------------------

    @Nested
    class WhenErasingAnAccount {

        @Test
        void erasesPersonalDataEndsTokensAndPublishesUserDeleted() {
            Account account = registerAndLogin();

            Answer answer = api.delete(userPath(account.id()), account.token());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(204);
            assertThat(me(account).status()).isEqualTo(401);
            assertThat(refresh(account.refreshToken()).status()).isEqualTo(401);
            assertThat(login(account).status()).isEqualTo(401);
            assertThat(api.get(userPath(account.id()), adminToken()).status()).isEqualTo(404);
            events.await(UserEvents.Deleted.class, e -> e.userId().equals(account.id()), EVENT_TIMEOUT);
            Map<String, Object> row = app().jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT username, email, password_hash, deleted_at IS NOT NULL AS erased,"
                                    + " (SELECT count(*) FROM sessions WHERE user_id = users.id) AS sessions,"
                                    + " (SELECT count(*) FROM one_time_links WHERE user_id = users.id) AS links"
                                    + " FROM users WHERE id = :id")
                    .bind("id", UUID.fromString(account.id())).mapToMap().one());
            assertThat(row).containsEntry("username", null).containsEntry("email", null)
                    .containsEntry("password_hash", null).containsEntry("erased", true)
                    .containsEntry("sessions", 0L).containsEntry("links", 0L);
        }

        @Test
        void tellsTheRegisteredListenersInsideTheTransactionBeforeAnonymising() {
            Account account = registerAndLogin();

            api.delete(userPath(account.id()), account.token());

            assertThat(erasures).contains(account.id() + " " + account.id() + " true true");
        }

        @Test
        void rollsBackWhenAListenerRefuses() {
            Account account = registerAndLogin();
            refuseErasure.add(account.id());

            Answer answer = api.delete(userPath(account.id()), account.token());

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("code").asText()).isEqualTo("meetings_pending");
            assertThat(me(account).status()).isEqualTo(200);
            assertThat(login(account).status()).isEqualTo(200);
        }

        @Test
        void letsAnAdminEraseAnAccountAndAuditsIt() {
            Account account = registerAndLogin();
            String adminId = adminId();

            Answer answer = api.delete(userPath(account.id()), adminToken());

            assertThat(answer.status()).isEqualTo(204);
            assertThat(erasures).contains(account.id() + " " + adminId + " true true");
            assertThat(auditEntriesAbout(account.id())).anySatisfy(entry -> {
                assertThat(entry.path("action").asText()).isEqualTo("user.erased");
                assertThat(entry.path("actor_id").asText()).isEqualTo(adminId);
                assertThat(entry.path("details").path("by").asText()).isEqualTo("admin");
            });
        }

        @Test
        void freesTheAddressAndUsernameForANewAccount() {
            Account account = registerAndLogin();
            api.delete(userPath(account.id()), account.token());

            Answer again = register(account.username(), account.email(), "starting over again");

            assertThat(again.status()).isEqualTo(201);
            assertThat(again.json().path("user_id").asText()).isNotEqualTo(account.id());
        }
    }

    @Nested
    class WhenExportingAccountData {

        @Test
        void exportsProfileSessionsAuditEntriesAndContributedSections() {
            Account account = registerAndLogin();
            api.send("POST", "/api/v1/users/login", null,
                    Map.of("email", account.email(), "password", account.password()), "User-Agent", "ExportTest/1.0");
            api.patch(userPath(account.id()), account.token(),
                    Map.of("current_password", account.password(), "new_password", "changed for the audit"));

            Answer answer = api.get(userPath(account.id()) + "/export", account.token());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.header("Content-Disposition")).hasValueSatisfying(
                    value -> assertThat(value).contains("attachment").contains(account.id()));
            JsonNode export = answer.json();
            assertThat(export.path("exported_at").isTextual()).isTrue();
            assertThat(export.path("profile").path("email").asText()).isEqualTo(account.email());
            assertThat(export.path("sessions").size()).isEqualTo(2);
            assertThat(export.path("sessions").findValuesAsText("user_agent")).contains("ExportTest/1.0");
            assertThat(export.path("sessions").findValuesAsText("ip_address")).containsOnly(api.clientIp());
            assertThat(export.path("sessions").findValuesAsText("revoked_reason")).contains("password_changed");
            assertThat(export.path("audit_log").findValuesAsText("action")).contains("user.password_changed");
            assertThat(export.path("test_notes").path("user_id").asText()).isEqualTo(account.id());
            assertThat(export.path("test_notes").path("in_transaction").asBoolean()).isTrue();
            assertThat(export.has("sections")).as("contributed sections sit at the top level").isFalse();
            assertThat(answer.body()).doesNotContain("argon2").doesNotContain(account.refreshToken());
        }

        @Test
        void auditsAnAdminsExportOfAnotherAccount() {
            Account account = registerAndLogin();

            Answer answer = api.get(userPath(account.id()) + "/export", adminToken());

            assertThat(answer.status()).isEqualTo(200);
            assertThat(auditEntriesAbout(account.id())).anySatisfy(entry ->
                    assertThat(entry.path("action").asText()).isEqualTo("user.exported_by_admin"));
        }
    }

    // --- Keys and bootstrap -----------------------------------------------------------------------------------

    @Nested
    class WhenSweepingExpiredCredentials {

        long rows(String sql, String userId) {
            return app().jdbi().withHandle(handle -> handle.createQuery(sql).bind("id", UUID.fromString(userId))
                    .mapTo(Long.class).one());
        }

        long refreshTokens(Account account) {
            return rows("SELECT count(*) FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id"
                    + " WHERE s.user_id = :id", account.id());
        }

        long links(Account account) {
            return rows("SELECT count(*) FROM one_time_links WHERE user_id = :id", account.id());
        }

        long sessions(Account account) {
            return rows("SELECT count(*) FROM sessions WHERE user_id = :id", account.id());
        }

        @Test
        void deletesExpiredRefreshTokensOldLinksAndLongEndedSessionsButNothingLive() {
            Account aged = registerAndLogin();
            Account expiredToken = registerAndLogin();
            Account live = registerAndLogin();
            app().jdbi().useHandle(handle -> {
                handle.createUpdate("UPDATE sessions SET expires_at = now() - interval '31 days' WHERE user_id = :id")
                        .bind("id", UUID.fromString(aged.id())).execute();
                handle.createUpdate("UPDATE one_time_links SET expires_at = now() - interval '2 days'"
                        + " WHERE user_id = :id").bind("id", UUID.fromString(aged.id())).execute();
                handle.createUpdate("UPDATE refresh_tokens SET expires_at = now() - interval '1 minute'"
                        + " WHERE session_id IN (SELECT id FROM sessions WHERE user_id = :id)")
                        .bind("id", UUID.fromString(expiredToken.id())).execute();
            });

            ExpiredCredentialsSweeper.Swept swept =
                    new ExpiredCredentialsSweeper(app().jdbi(), app().migrator(), Clock.systemUTC()).sweep();

            assertThat(swept.sessions()).isGreaterThanOrEqualTo(1);
            assertThat(sessions(aged)).isZero();
            assertThat(links(aged)).isZero();
            assertThat(refreshTokens(expiredToken)).isZero();
            assertThat(sessions(expiredToken)).as("its session is kept for the export").isEqualTo(1);
            assertThat(refreshTokens(live)).isEqualTo(1);
            assertThat(links(live)).isEqualTo(1);
            assertThat(sessions(live)).isEqualTo(1);
            assertThat(refresh(live.refreshToken()).status()).isEqualTo(200);
        }
    }

    @Nested
    class WhenFetchingTheJwks {

        @Test
        void servesOnlyPublicKeysCacheableForFiveMinutesThatVerifyAccessTokens() throws Exception {
            Account account = registerAndLogin();

            Answer answer = api.get("/api/v1/.well-known/jwks.json", null);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age=300"));
            JWKSet jwks = JWKSet.parse(answer.body());
            assertThat(jwks.getKeys()).isNotEmpty().allSatisfy(key -> {
                assertThat(key.isPrivate()).isFalse();
                assertThat(key.getKeyType().getValue()).isEqualTo("EC");
            });
            assertThat(answer.body()).doesNotContain("\"d\"");
            TokenVerifier offline = new TokenVerifier(kid -> jwks.getKeys().stream()
                    .filter(key -> key.getKeyID().equals(kid)).findFirst().map(key -> key.toECKey()),
                    ISSUER, Clock.systemUTC(), Duration.ZERO);
            assertThat(offline.verify(account.token(), "api").subject()).isEqualTo(account.id());
        }
    }
}
