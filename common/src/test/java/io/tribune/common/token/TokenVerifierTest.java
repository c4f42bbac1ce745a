package io.tribune.common.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ISSUER = "https://tribune.example";

    private final SigningKeys keys = SigningKeys.generate();
    private final TokenIssuer issuer = new TokenIssuer(keys, ISSUER, CLOCK);
    private final TokenVerifier verifier = new TokenVerifier(keys, ISSUER, CLOCK, Duration.ofSeconds(30));

    @Test
    void acceptsATokenItsIssuerSigned() throws Exception {
        String token = issuer.issue("user-1", List.of("sfu", "channel"), Duration.ofMinutes(2),
                Map.of("room", "m-1", "permissions", List.of("publish", "chat"))).token();

        VerifiedToken verified = verifier.verify(token, "sfu");

        assertThat(verified.subject()).isEqualTo("user-1");
        assertThat(verified.string("room")).isEqualTo("m-1");
        assertThat(verified.strings("permissions")).containsExactly("publish", "chat");
        assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(verified.id()).isNotBlank();
    }

    @Nested
    class WhenCaching {

        private final MutableClock clock = new MutableClock(NOW);
        private final TokenVerifier cached = new TokenVerifier(keys, ISSUER, clock, Duration.ofSeconds(30)).cached(2);

        @Test
        void acceptsARememberedTokenUntilItExpires() throws Exception {
            String token = issuer.issue("u", List.of("api"), Duration.ofMinutes(2), Map.of()).token();
            VerifiedToken first = cached.verify(token, "api");

            clock.set(NOW.plusSeconds(60));
            assertThat(cached.verify(token, "api")).isSameAs(first);

            clock.set(NOW.plusSeconds(151));
            assertThatThrownBy(() -> cached.verify(token, "api"))
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo("expired"));
        }

        @Test
        void remembersPerAudience() throws Exception {
            String token = issuer.issue("u", List.of("api"), Duration.ofMinutes(2), Map.of()).token();
            cached.verify(token, "api");

            assertThatThrownBy(() -> cached.verify(token, "sfu"))
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo("audience"));
        }

        @Test
        void stillRefusesTamperedTokensAndStaysBounded() throws Exception {
            for (int i = 0; i < 5; i++) {
                String token = issuer.issue("u" + i, List.of("api"), Duration.ofMinutes(2), Map.of()).token();
                assertThat(cached.verify(token, "api").subject()).isEqualTo("u" + i);
                String[] parts = token.split("\\.");
                String forged = parts[0] + "." + Base64URL.encode(Base64URL.from(parts[1]).decodeToString()
                        .replace("\"u" + i + "\"", "\"admin\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
                assertThatThrownBy(() -> cached.verify(forged, "api")).isInstanceOf(InvalidTokenException.class);
            }
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void acceptsTokensOfThePreviousKeyAfterRotation() throws Exception {
        String oldToken = issuer.issue("u", List.of("api"), Duration.ofMinutes(5), Map.of()).token();
        SigningKeys rotated = keys.rotate(2);

        TokenVerifier afterRotation = new TokenVerifier(rotated, ISSUER, CLOCK, Duration.ZERO);

        assertThat(afterRotation.verify(oldToken, "api").subject()).isEqualTo("u");
        assertThat(rotated.publicJwks().getKeys()).hasSize(2).allMatch(k -> !k.isPrivate());
    }

    @Test
    void persistsKeysOwnerOnlyAndReloadsTheSameOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/jwks.json");

        SigningKeys created = SigningKeys.loadOrCreate(file);
        SigningKeys reloaded = SigningKeys.loadOrCreate(file);

        assertThat(reloaded.current().getKeyID()).isEqualTo(created.current().getKeyID());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(created.publicJwksJson()).doesNotContain("\"d\"");
    }

    @Nested
    class WhenTheTokenIsNotAcceptable {

        @Test
        void rejectsAlgNone() {
            String token = new PlainJWT(claims().build()).serialize();

            assertRejected(token, "malformed", "algorithm");
        }

        @Test
        void rejectsHs256SignedWithThePublicKey() throws Exception {
            byte[] publicKeyAsSecret = keys.current().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(keys.current().getKeyID()).build(), claims().build());
            jwt.sign(new MACSigner(publicKeyAsSecret));

            assertRejected(jwt.serialize(), "algorithm");
        }

        @Test
        void rejectsAWrongAudience() throws Exception {
            String token = issuer.issue("u", List.of("channel"), Duration.ofMinutes(2), Map.of()).token();

            assertRejected(token, "audience");
        }

        @Test
        void rejectsAWrongIssuer() throws Exception {
            String token = new TokenIssuer(keys, "https://evil.example", CLOCK)
                    .issue("u", List.of("sfu"), Duration.ofMinutes(2), Map.of()).token();

            assertRejected(token, "issuer");
        }

        @Test
        void rejectsAnExpiredToken() throws Exception {
            TokenIssuer past = new TokenIssuer(keys, ISSUER, Clock.fixed(NOW.minusSeconds(600), ZoneOffset.UTC));
            String token = past.issue("u", List.of("sfu"), Duration.ofMinutes(2), Map.of()).token();

            assertRejected(token, "expired");
        }

        @Test
        void rejectsATokenWhoseNotBeforeIsInTheFuture() throws Exception {
            TokenIssuer future = new TokenIssuer(keys, ISSUER, Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC));
            String token = future.issue("u", List.of("sfu"), Duration.ofMinutes(20), Map.of()).token();

            assertRejected(token, "not_yet_valid");
        }

        @Test
        void rejectsAnEcdsaSignatureWithRAndSZero() throws Exception {
            String good = issuer.issue("u", List.of("sfu"), Duration.ofMinutes(2), Map.of()).token();
            String[] parts = good.split("\\.");
            String zeroSignature = Base64URL.encode(new byte[64]).toString();

            assertRejected(parts[0] + "." + parts[1] + "." + zeroSignature, "signature");
        }

        @Test
        void rejectsTamperedClaims() throws Exception {
            String good = issuer.issue("u", List.of("sfu"), Duration.ofMinutes(2), Map.of("role", "attendee"))
                    .token();
            String[] parts = good.split("\\.");
            String forged = Base64URL.encode(Base64URL.from(parts[1]).decodeToString()
                    .replace("attendee", "host").getBytes(StandardCharsets.UTF_8)).toString();

            assertRejected(parts[0] + "." + forged + "." + parts[2], "signature");
        }

        @Test
        void rejectsAKeyItDoesNotKnow() throws Exception {
            String token = new TokenIssuer(SigningKeys.generate(), ISSUER, CLOCK)
                    .issue("u", List.of("sfu"), Duration.ofMinutes(2), Map.of()).token();

            assertRejected(token, "unknown_key");
        }

        @Test
        void rejectsATokenWithoutExpiry() throws Exception {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                    .keyID(keys.current().getKeyID()).build(), claims().expirationTime(null).build());
            jwt.sign(new ECDSASigner(keys.current()));

            assertRejected(jwt.serialize(), "missing_claim");
        }

        @Test
        void rejectsGarbage() {
            assertRejected("not.a.token", "malformed");
            assertRejected("", "malformed");
            assertRejected("a".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1), "malformed");
        }

        private void assertRejected(String token, String... reasons) {
            assertThatThrownBy(() -> verifier.verify(token, "sfu"))
                    .isInstanceOf(InvalidTokenException.class)
                    .satisfies(e -> assertThat(((InvalidTokenException) e).reason()).isIn((Object[]) reasons));
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("u").audience("sfu").jwtID("j")
                .issueTime(Date.from(NOW)).notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(120)));
    }
}
