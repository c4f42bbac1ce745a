package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApiServerApplication;
import io.tribune.api.TestApps;
import io.tribune.api.UserEventsRecorder;
import io.tribune.api.auth.AuthConfiguration;
import io.tribune.api.auth.PasswordHasher;
import io.tribune.api.core.BootstrapAdmin;
import io.tribune.common.token.SigningKeys;
import io.tribune.common.token.TokenIssuer;
import io.tribune.events.UserEvents;
import io.tribune.platform.EmbeddedPlatform;
import io.tribune.platform.PlatformExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts as admins manage them, and who may call what, over HTTP against the real platform: the admin
 * endpoints and their audit trail, the last-admin rule, the role matrix of every accounts endpoint, access tokens
 * that must be refused, and the bootstrap admin. One app for the whole class; tests make their own accounts.
 */
@ExtendWith(PlatformExtension.class)
class AccountsAdminIT extends AccountsTestBase {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(TestApiServerApplication.class);

    static UserEventsRecorder events;

    @BeforeAll
    static void recordUserEvents() throws Exception {
        events = UserEventsRecorder.start(TestApps.urls().kafkaBootstrap());
    }

    @AfterAll
    static void stopRecording() {
        events.close();
    }

    @Override
    DropwizardAppExtension<ApiServerConfiguration> appExtension() {
        return APP;
    }

    @Override
    UserEventsRecorder events() {
        return events;
    }

    // --- Admin ------------------------------------------------------------------------------------------------

    @Nested
    class WhenAnAdminListsAccounts {

        @Test
        void pagesAndSearchesByUsernameOrEmailIgnoringCase() {
            String tag = uniqueName("find");
            for (int i = 0; i < 3; i++) {
                assertThat(register(tag + i, tag + i + "@example.org", "searchable secret").status()).isEqualTo(201);
            }

            Answer first = api.get("/api/v1/admin/users?q=" + tag.toUpperCase() + "&size=2&page=1", adminToken());
            Answer second = api.get("/api/v1/admin/users?q=" + tag + "&size=2&page=2", adminToken());

            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            assertThat(first.json().path("total").asLong()).isEqualTo(3);
            assertThat(first.json().path("items").size()).isEqualTo(2);
            assertThat(first.json().path("page").asInt()).isEqualTo(1);
            assertThat(first.json().path("size").asInt()).isEqualTo(2);
            assertThat(second.json().path("items").size()).isEqualTo(1);
            assertThat(first.json().path("items").get(0).path("username").asText()).isEqualTo(tag + "0");
            assertThat(first.json().path("items").get(0).has("disabled")).isTrue();
            assertThat(first.json().path("items").get(0).has("password_hash")).isFalse();
        }

        @Test
        void matchesLikeWildcardsAndSqlInTheQueryLiterally() {
            String tag = uniqueName("w");
            register(tag + "_x", tag + "_x@example.org", "wildcard secret 1");
            register(tag + "yx", tag + "yx@example.org", "wildcard secret 2");

            Answer underscore = api.get("/api/v1/admin/users?q=" + tag + "_x", adminToken());
            Answer sql = api.get("/api/v1/admin/users?q=%27%20OR%201%3D1%20--", adminToken());

            assertThat(underscore.status()).isEqualTo(200);
            assertThat(underscore.json().path("items").findValuesAsText("username")).containsExactly(tag + "_x");
            assertThat(sql.status()).isEqualTo(200);
            assertThat(sql.json().path("total").asLong()).isZero();
        }

        @Test
        void filtersByRole() {
            Answer admins = api.get("/api/v1/admin/users?role=admin&size=100", adminToken());

            assertThat(admins.status()).isEqualTo(200);
            assertThat(admins.json().path("items").findValuesAsText("role")).isNotEmpty().containsOnly("admin");
            assertThat(admins.json().path("items").findValuesAsText("email")).contains(ADMIN_EMAIL);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"page=0, page", "page=x, page", "size=0, size", "size=101, size", "role=owner, role"})
        void answers400NamingABadQueryParameter(String query, String field) {
            Answer answer = api.get("/api/v1/admin/users?" + query, adminToken());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.json().path("details").has(field)).isTrue();
        }
    }

    @Nested
    class WhenAnAdminChangesAnAccount {

        @Test
        void changesTheRoleAtOnceForTokensAlreadyIssuedAndPublishesAndAuditsIt() {
            Account account = registerAndLogin();
            String adminId = adminId();

            Answer answer = api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("role", "host"));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().path("role").asText()).isEqualTo("host");
            assertThat(me(account).json().path("role").asText()).isEqualTo("host");
            UserEvents.RoleChanged changed = events.await(UserEvents.RoleChanged.class,
                    e -> e.userId().equals(account.id()), EVENT_TIMEOUT);
            assertThat(changed.role()).isEqualTo("host");
            assertThat(changed.changedBy()).isEqualTo(adminId);
            assertThat(auditEntriesAbout(account.id())).anySatisfy(entry -> {
                assertThat(entry.path("action").asText()).isEqualTo("user.role_changed");
                assertThat(entry.path("actor_id").asText()).isEqualTo(adminId);
                assertThat(entry.path("details").path("from").asText()).isEqualTo("member");
                assertThat(entry.path("details").path("to").asText()).isEqualTo("host");
                assertThat(entry.path("request_id").asText()).isNotBlank();
            });
        }

        @Test
        void takesAdminRightsAwayFromTokensAlreadyIssuedOnDemotion() {
            Account account = promote(registerAndLogin(), "admin");
            Account asAdmin = account.withLogin(login(account));
            assertThat(api.get("/api/v1/admin/users", asAdmin.token()).status()).isEqualTo(200);

            promote(account, "member");

            assertThat(api.get("/api/v1/admin/users", asAdmin.token()).status()).isEqualTo(403);
        }

        @Test
        void disablingEndsSessionsRefusesLoginAndPublishesUserDisabled() {
            Account account = registerAndLogin();

            Answer answer = api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("disabled", true));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().path("disabled").asBoolean()).isTrue();
            assertThat(me(account).status()).isEqualTo(401);
            assertThat(refresh(account.refreshToken()).status()).isEqualTo(401);
            Answer login = login(account);
            assertThat(login.status()).isEqualTo(403);
            assertThat(login.json().path("code").asText()).isEqualTo("account_disabled");
            assertThat(events.await(UserEvents.Disabled.class, e -> e.userId().equals(account.id()),
                    EVENT_TIMEOUT).disabled()).isTrue();
            assertThat(auditEntriesAbout(account.id())).anySatisfy(entry ->
                    assertThat(entry.path("action").asText()).isEqualTo("user.disabled"));
        }

        @Test
        void reEnablingLetsTheAccountLogInAgain() {
            Account account = registerAndLogin();
            api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("disabled", true));

            Answer answer = api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("disabled", false));

            assertThat(answer.json().path("disabled").asBoolean(true)).isFalse();
            Account again = account.withLogin(login(account));
            assertThat(me(again).status()).isEqualTo(200);
        }

        @Test
        void refusesAnUnknownRoleNamingTheField() {
            Account account = registerAndLogin();

            Answer answer = api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("role", "owner"));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("details").path("field").asText()).isEqualTo("role");
        }

        @Test
        void refusesAnEmptyChangeAndAnUnknownAccount() {
            Account account = registerAndLogin();

            Answer empty = api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of());
            Answer unknown = api.patch("/api/v1/admin/users/" + UUID.randomUUID(), adminToken(),
                    Map.of("role", "host"));

            assertThat(empty.status()).isEqualTo(422);
            assertThat(unknown.status()).isEqualTo(404);
        }

        @Test
        void listsTheAuditLogNewestFirst() {
            Account account = registerAndLogin();
            api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("role", "host"));
            api.patch("/api/v1/admin/users/" + account.id(), adminToken(), Map.of("role", "member"));

            List<JsonNode> entries = auditEntriesAbout(account.id());

            assertThat(entries).hasSizeGreaterThanOrEqualTo(2);
            assertThat(entries.get(0).path("details").path("to").asText()).isEqualTo("member");
            assertThat(entries.get(1).path("details").path("to").asText()).isEqualTo("host");
            assertThat(Instant.parse(entries.get(0).path("created_at").asText()))
                    .isAfterOrEqualTo(Instant.parse(entries.get(1).path("created_at").asText()));
        }
    }

    @Nested
    class WhenOnlyOneAdminIsLeft {

        /** Demotes every enabled admin but the bootstrap admin, so that it is the last one. */
        @BeforeEach
        void leaveOnlyTheBootstrapAdmin() {
            String bootstrapAdmin = adminId();
            Answer admins = api.get("/api/v1/admin/users?role=admin&size=100", adminToken());
            admins.json().path("items").forEach(admin -> {
                String id = admin.path("user_id").asText();
                if (!id.equals(bootstrapAdmin) && !admin.path("disabled").asBoolean()) {
                    assertThat(api.patch("/api/v1/admin/users/" + id, adminToken(), Map.of("role", "member"))
                            .status()).isEqualTo(200);
                }
            });
        }

        @Test
        void refusesToDemoteItself() {
            Answer answer = api.patch("/api/v1/admin/users/" + adminId(), adminToken(), Map.of("role", "member"));

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("code").asText()).isEqualTo("last_admin");
        }

        @Test
        void refusesToDisableItself() {
            Answer answer = api.patch("/api/v1/admin/users/" + adminId(), adminToken(), Map.of("disabled", true));

            assertThat(answer.status()).isEqualTo(409);
        }

        @Test
        void refusesToEraseItself() {
            Answer answer = api.delete(userPath(adminId()), adminToken());

            assertThat(answer.status()).isEqualTo(409);
            assertThat(login(ADMIN_EMAIL, ADMIN_PASSWORD).status()).isEqualTo(200);
        }

        @Test
        void letsASecondAdminStepDown() {
            Account second = promote(registerAndLogin(), "admin");
            second = second.withLogin(login(second));

            Answer answer = api.patch("/api/v1/admin/users/" + second.id(), second.token(), Map.of("role", "member"));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().path("role").asText()).isEqualTo("member");
        }
    }

    // --- Who may call what ------------------------------------------------------------------------------------

    @Nested
    class RoleMatrix {

        @ParameterizedTest(name = "{0} {1} {2} -> {3}")
        @CsvSource(delimiter = '|', textBlock = """
                anonymous | GET    | /users/{target}         | 401
                self      | GET    | /users/{target}         | 200
                other     | GET    | /users/{target}         | 403
                host      | GET    | /users/{target}         | 403
                admin     | GET    | /users/{target}         | 200
                anonymous | PATCH  | /users/{target}         | 401
                self      | PATCH  | /users/{target}         | 200
                other     | PATCH  | /users/{target}         | 403
                host      | PATCH  | /users/{target}         | 403
                admin     | PATCH  | /users/{target}         | 200
                anonymous | DELETE | /users/{target}         | 401
                self      | DELETE | /users/{target}         | 204
                other     | DELETE | /users/{target}         | 403
                host      | DELETE | /users/{target}         | 403
                admin     | DELETE | /users/{target}         | 204
                anonymous | GET    | /users/{target}/export  | 401
                self      | GET    | /users/{target}/export  | 200
                other     | GET    | /users/{target}/export  | 403
                host      | GET    | /users/{target}/export  | 403
                admin     | GET    | /users/{target}/export  | 200
                anonymous | POST   | /users/logout           | 401
                self      | POST   | /users/logout           | 204
                anonymous | GET    | /admin/users            | 401
                self      | GET    | /admin/users            | 403
                host      | GET    | /admin/users            | 403
                admin     | GET    | /admin/users            | 200
                anonymous | PATCH  | /admin/users/{target}   | 401
                self      | PATCH  | /admin/users/{target}   | 403
                host      | PATCH  | /admin/users/{target}   | 403
                admin     | PATCH  | /admin/users/{target}   | 200
                anonymous | GET    | /admin/audit-log        | 401
                self      | GET    | /admin/audit-log        | 403
                host      | GET    | /admin/audit-log        | 403
                admin     | GET    | /admin/audit-log        | 200
                anonymous | GET    | /.well-known/jwks.json  | 200
                """)
        void answers(String caller, String method, String path, int expected) {
            Account target = registerAndLogin();
            String token = switch (caller) {
                case "anonymous" -> null;
                case "self" -> target.token();
                case "other" -> registerAndLogin().token();
                case "host" -> {
                    Account host = promote(registerAndLogin(), "host");
                    yield login(host).json().path("token").asText();
                }
                case "admin" -> adminToken();
                default -> throw new IllegalArgumentException(caller);
            };
            Object body = switch (method + " " + path) {
                case "PATCH /users/{target}" -> Map.of("username", uniqueName("m"));
                case "PATCH /admin/users/{target}" -> Map.of("role", "member");
                default -> null;
            };

            Answer answer = api.send(method, "/api/v1" + path.replace("{target}", target.id()), token, body);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(expected);
            if (expected >= 400) {
                assertThat(answer.json().path("code").asText()).isEqualTo(expected == 401 ? "unauthorized"
                        : "forbidden");
            }
        }
    }

    // --- Tokens that must not be accepted ---------------------------------------------------------------------

    @Nested
    class WhenTheAccessTokenIsNotAcceptable {

        Account account;
        String sessionId;

        @BeforeEach
        void account() {
            account = registerAndLogin();
            sessionId = (String) claims(account.token()).getClaim("sid");
        }

        JWTClaimsSet.Builder validClaims(Instant now) {
            return new JWTClaimsSet.Builder().issuer(ISSUER).subject(account.id()).audience("api")
                    .jwtID(UUID.randomUUID().toString()).claim("sid", sessionId).claim("role", "admin")
                    .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(600)));
        }

        String issued(String issuer, Instant now, List<String> audience) {
            return new TokenIssuer(app().signingKeys(), issuer, Clock.fixed(now, ZoneOffset.UTC))
                    .issue(account.id(), audience, Duration.ofMinutes(15),
                            Map.of("sid", sessionId, "role", "member")).token();
        }

        Answer withToken(String token) {
            return api.get(userPath(account.id()), token);
        }

        void assertRefused(String token) {
            Answer answer = withToken(token);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertThat(answer.json().path("code").asText()).isEqualTo("unauthorized");
            assertThat(answer.header("WWW-Authenticate")).isPresent();
        }

        @Test
        void acceptsAWellFormedTokenMadeTheSameWay() {
            assertThat(withToken(issued(ISSUER, Instant.now(), List.of("api"))).status()).isEqualTo(200);
        }

        @Test
        void refusesAlgNone() {
            assertRefused(new PlainJWT(validClaims(Instant.now()).build()).serialize());
        }

        @Test
        void refusesHs256SignedWithThePublicKey() throws Exception {
            SigningKeys keys = app().signingKeys();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                    .keyID(keys.current().getKeyID()).build(), validClaims(Instant.now()).build());
            jwt.sign(new MACSigner(keys.current().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));

            assertRefused(jwt.serialize());
        }

        @Test
        void refusesAJoinTokenMeantForTheSfu() {
            assertRefused(issued(ISSUER, Instant.now(), List.of("sfu", "channel")));
        }

        @Test
        void refusesAWrongIssuer() {
            assertRefused(issued("https://evil.example", Instant.now(), List.of("api")));
        }

        @Test
        void refusesAnExpiredToken() {
            assertRefused(issued(ISSUER, Instant.now().minus(Duration.ofMinutes(20)), List.of("api")));
        }

        @Test
        void refusesATokenWhoseNotBeforeIsInTheFuture() {
            assertRefused(issued(ISSUER, Instant.now().plus(Duration.ofMinutes(10)), List.of("api")));
        }

        @Test
        void refusesAnEcdsaSignatureWithRAndSZero() {
            String[] parts = account.token().split("\\.");

            assertRefused(parts[0] + "." + parts[1] + "." + Base64URL.encode(new byte[64]));
        }

        @Test
        void refusesTamperedClaims() {
            String[] parts = account.token().split("\\.");
            String forged = Base64URL.encode(Base64URL.from(parts[1]).decodeToString()
                    .replace("\"member\"", "\"admin\"").getBytes(StandardCharsets.UTF_8)).toString();

            assertRefused(parts[0] + "." + forged + "." + parts[2]);
        }

        @Test
        void refusesAKeyItDoesNotKnow() {
            assertRefused(new TokenIssuer(SigningKeys.generate(), ISSUER, Clock.systemUTC())
                    .issue(account.id(), List.of("api"), Duration.ofMinutes(15),
                            Map.of("sid", sessionId, "role", "member")).token());
        }

        @Test
        void refusesASessionThatDoesNotExist() {
            assertRefused(new TokenIssuer(app().signingKeys(), ISSUER, Clock.systemUTC())
                    .issue(account.id(), List.of("api"), Duration.ofMinutes(15),
                            Map.of("sid", UUID.randomUUID().toString(), "role", "member")).token());
        }

        @Test
        void refusesGarbageAndOtherSchemes() {
            assertRefused("not-a-token");
            Answer basic = api.send("GET", userPath(account.id()), null, null, "Authorization", "Basic dXNlcjpwYXNz");
            assertThat(basic.status()).isEqualTo(401);
        }
    }

    @Nested
    class WhenAuthenticationIsOptional {

        @Test
        void seesTheCallerWithAValidTokenAndAnonymousWithoutOne() {
            Account account = registerAndLogin();

            Answer withToken = api.get("/api/v1/test-probe/whoami", account.token());
            Answer without = api.get("/api/v1/test-probe/whoami", null);

            assertThat(withToken.json().path("caller").asText()).isEqualTo(account.id());
            assertThat(without.status()).isEqualTo(200);
            assertThat(without.json().path("caller").asText()).isEqualTo("anonymous");
        }

        @Test
        void treatsARevokedTokenAsAnonymous() {
            Account account = registerAndLogin();
            api.post("/api/v1/users/logout", account.token(), null);

            Answer answer = api.get("/api/v1/test-probe/whoami", account.token());

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("caller").asText()).isEqualTo("anonymous");
        }
    }

    // --- Redis outage ---------------------------------------------------------------------------------------

    @Nested
    class WhenRedisIsDown {

        @Test
        void checksTokensAgainstPostgresqlAndRefusesRevocationsItCannotRecord() throws Exception {
            Account live = registerAndLogin();
            Account loggedOut = registerAndLogin();
            assertThat(api.post("/api/v1/users/logout", loggedOut.token(), null).status()).isEqualTo(204);
            EmbeddedPlatform platform = PlatformExtension.platform();
            Answer liveWhileDown;
            Answer loggedOutWhileDown;
            Answer logoutWhileDown;
            Answer loginWhileDown;
            try {
                platform.redis().stop();

                liveWhileDown = me(live);
                loggedOutWhileDown = me(loggedOut);
                logoutWhileDown = api.post("/api/v1/users/logout", live.token(), null);
                loginWhileDown = login(live);
            } finally {
                platform.redis().start();
            }

            assertThat(liveWhileDown.status()).as(liveWhileDown.toString()).isEqualTo(200);
            assertThat(loggedOutWhileDown.status()).as("revoked in PostgreSQL").isEqualTo(401);
            assertThat(logoutWhileDown.status()).as(logoutWhileDown.toString()).isEqualTo(503);
            assertThat(loginWhileDown.status()).as("the throttle lets logins through").isEqualTo(200);
            assertThat(me(live).status()).as("the refused logout changed nothing").isEqualTo(200);
            assertThat(me(loggedOut).status()).as("still refused once Redis is back, empty").isEqualTo(401);
        }
    }

    @Nested
    class WhenBootstrappingAnAdmin {

        BootstrapAdmin bootstrap(String email) {
            AuthConfiguration.BootstrapAdminConfiguration configuration =
                    new AuthConfiguration.BootstrapAdminConfiguration();
            configuration.setEmail(email);
            configuration.setPassword("bootstrap secret for tests");
            configuration.setUsername(uniqueName("boot"));
            return new BootstrapAdmin(configuration, app().jdbi(), app().migrator(),
                    new PasswordHasher(new PasswordHasher.Parameters(1024, 1, 1), 1, Duration.ofSeconds(5)),
                    app().outboxWriter(), app().auditLog(), Clock.systemUTC());
        }

        @Test
        void createsTheConfiguredAdminOnceAndPublishesItsRegistration() {
            String email = uniqueName("boot") + "@example.org";

            boolean first = bootstrap(email).ensureCreated();
            boolean second = bootstrap(email).ensureCreated();

            assertThat(first).isTrue();
            assertThat(second).isFalse();
            Answer login = login(email, "bootstrap secret for tests");
            assertThat(login.status()).isEqualTo(200);
            String id = login.json().path("user_id").asText();
            assertThat(api.get(userPath(id), login.json().path("token").asText()).json().path("role").asText())
                    .isEqualTo("admin");
            events.await(UserEvents.Registered.class, e -> e.userId().equals(id), EVENT_TIMEOUT);
            assertThat(auditEntriesAbout(id)).anySatisfy(entry -> {
                assertThat(entry.path("action").asText()).isEqualTo("user.bootstrap_admin_created");
                assertThat(entry.path("actor_id").isNull()).isTrue();
            });
            long accounts = app().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM users WHERE lower(email) = lower(:email)").bind("email", email)
                    .mapTo(Long.class).one());
            assertThat(accounts).isEqualTo(1);
        }

        @Test
        void leavesAnExistingAccountWithThatAddressAsItIs() {
            Account account = registerAndLogin();

            assertThat(bootstrap(account.email()).ensureCreated()).isFalse();

            assertThat(me(account).json().path("role").asText()).isEqualTo("member");
            assertThat(login(account).status()).isEqualTo(200);
        }
    }
}
