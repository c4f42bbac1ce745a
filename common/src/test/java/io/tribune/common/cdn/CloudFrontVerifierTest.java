package io.tribune.common.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.common.cdn.CloudFrontVerifier.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.cookie.CookiesForCustomPolicy;
import software.amazon.awssdk.services.cloudfront.utils.SigningHashAlgorithm;

class CloudFrontVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant EXPIRES = NOW.plusSeconds(3600);
    private static final String EVENT = "https://cdn.example/hls/ev1/";
    private static KeyPair keys;
    private static KeyPair otherKeys;

    private final CloudFrontVerifier verifier = verifierAt(NOW);
    private final CloudFrontSigner signer = new CloudFrontSigner("K1", keys.getPrivate());

    @BeforeAll
    static void generateKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        otherKeys = generator.generateKeyPair();
    }

    private static CloudFrontVerifier verifierAt(Instant now) {
        return new CloudFrontVerifier(Map.of("K1", keys.getPublic()), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Nested
    class SignedCookies {

        private final Map<String, String> cookies = signer.cookies(EVENT + "*", EXPIRES);

        @Test
        void grantEveryUrlUnderTheEventPath() {
            assertThat(cookies.keySet()).containsExactly("CloudFront-Policy", "CloudFront-Signature",
                    "CloudFront-Key-Pair-Id");
            assertThat(verifier.verifyCookies(EVENT + "master.m3u8", cookies, "192.0.2.1")).isEqualTo(Verdict.OK);
            assertThat(verifier.verifyCookies(EVENT + "360p/index.m3u8?_HLS_msn=4&_HLS_part=1", cookies, null))
                    .isEqualTo(Verdict.OK);
        }

        @Test
        void refuseAnotherEvent() {
            assertThat(verifier.verifyCookies("https://cdn.example/hls/ev2/master.m3u8", cookies, null))
                    .isEqualTo(Verdict.WRONG_RESOURCE);
        }

        @Test
        void refuseExpiredOnes() {
            assertThat(verifierAt(EXPIRES).verifyCookies(EVENT + "master.m3u8", cookies, null))
                    .isEqualTo(Verdict.EXPIRED);
        }

        @Test
        void refuseATamperedPolicy() {
            // Re-sign a policy for every event with another key: the signature no longer matches K1.
            Map<String, String> forged = new HashMap<>(cookies);
            forged.put("CloudFront-Policy", new CloudFrontSigner("K1", otherKeys.getPrivate())
                    .cookies("https://cdn.example/*", EXPIRES).get("CloudFront-Policy"));
            assertThat(verifier.verifyCookies(EVENT + "master.m3u8", forged, null)).isEqualTo(Verdict.BAD_SIGNATURE);

            Map<String, String> flipped = new HashMap<>(cookies);
            String policy = cookies.get("CloudFront-Policy");
            flipped.put("CloudFront-Policy", policy.substring(0, 10) + (policy.charAt(10) == 'A' ? 'B' : 'A')
                    + policy.substring(11));
            assertThat(verifier.verifyCookies(EVENT + "master.m3u8", flipped, null)).isEqualTo(Verdict.BAD_SIGNATURE);
        }

        @Test
        void refuseAnUnknownKeyOrMissingCookies() {
            Map<String, String> unknown = new HashMap<>(cookies);
            unknown.put("CloudFront-Key-Pair-Id", "K9");
            assertThat(verifier.verifyCookies(EVENT + "a.m4s", unknown, null)).isEqualTo(Verdict.UNKNOWN_KEY);
            assertThat(verifier.verifyCookies(EVENT + "a.m4s", Map.of(), null)).isEqualTo(Verdict.MISSING);
            Map<String, String> garbage = new HashMap<>(cookies);
            garbage.put("CloudFront-Signature", "%%%");
            assertThat(verifier.verifyCookies(EVENT + "a.m4s", garbage, null)).isEqualTo(Verdict.MALFORMED);
        }

        @Test
        void checkSha256AndAddressRangesAsCloudFrontDoes() {
            CookiesForCustomPolicy sdk = CloudFrontUtilities.create().getCookiesForCustomPolicy(b -> b
                    .resourceUrl(EVENT + "*").resourceUrlPattern(EVENT + "*").privateKey(keys.getPrivate())
                    .keyPairId("K1").expirationDate(EXPIRES).activeDate(NOW.minusSeconds(5)).ipRange("10.1.0.0/16")
                    .hashAlgorithm(SigningHashAlgorithm.SHA256));
            Map<String, String> cookies = new HashMap<>();
            for (String header : new String[] {sdk.policyHeaderValue(), sdk.signatureHeaderValue(),
                    sdk.keyPairIdHeaderValue(), sdk.hashAlgorithmHeaderValue()}) {
                cookies.put(header.substring(0, header.indexOf('=')), header.substring(header.indexOf('=') + 1));
            }
            assertThat(verifier.verifyCookies(EVENT + "a.m4s", cookies, "10.1.200.3")).isEqualTo(Verdict.OK);
            assertThat(verifier.verifyCookies(EVENT + "a.m4s", cookies, "10.2.0.1")).isEqualTo(Verdict.WRONG_ADDRESS);
            assertThat(verifierAt(NOW.minusSeconds(10)).verifyCookies(EVENT + "a.m4s", cookies, "10.1.0.1"))
                    .isEqualTo(Verdict.NOT_YET_VALID);
            cookies.remove("CloudFront-Hash-Algorithm");
            assertThat(verifier.verifyCookies(EVENT + "a.m4s", cookies, "10.1.0.1")).isEqualTo(Verdict.BAD_SIGNATURE);
        }
    }

    @Test
    void refuseSignedPoliciesThatAreNotPolicies() throws Exception {
        // Signed with the trusted key, so only the policy checks stand between these and a grant (CI's fuzzer found
        // that the JSON literal null once escaped them as a NullPointerException).
        for (String policy : new String[] {"null", "[]", "3", "\"x\"", "{}", "{\"Statement\":null}",
                "{\"Statement\":[null]}", "{\"Statement\":[{\"Condition\":null}]}",
                "{\"Statement\":[{\"Condition\":{\"DateLessThan\":null}}]}",
                "{\"Statement\":[{\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":\"soon\"}}}]}"}) {
            Signature signature = Signature.getInstance("SHA1withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(policy.getBytes(StandardCharsets.UTF_8));
            Map<String, String> cookies = Map.of(
                    "CloudFront-Policy", urlSafe(policy.getBytes(StandardCharsets.UTF_8)),
                    "CloudFront-Signature", urlSafe(signature.sign()),
                    "CloudFront-Key-Pair-Id", "K1");
            assertThat(verifier.verifyCookies(EVENT + "a.m4s", cookies, null)).as(policy).isEqualTo(Verdict.MALFORMED);
        }
    }

    private static String urlSafe(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes).replace('+', '-').replace('=', '_')
                .replace('/', '~');
    }

    @Nested
    class SignedUrls {

        @Test
        void acceptCustomPolicyUrlsWithTheirOwnQuery() {
            String url = signer.signUrl(EVENT + "360p/index.m3u8?_HLS_msn=3", EVENT + "*", EXPIRES);
            assertThat(verifier.verifyUrl(url, null)).isEqualTo(Verdict.OK);
        }

        @Test
        void acceptCannedPolicyUrlsOnlyForTheirExactUrl() {
            String url = CloudFrontUtilities.create().getSignedUrlWithCannedPolicy(b -> b
                    .resourceUrl(EVENT + "s1.m4s").privateKey(keys.getPrivate()).keyPairId("K1")
                    .expirationDate(EXPIRES)).url();
            assertThat(url).contains("Expires=");
            assertThat(verifier.verifyUrl(url, null)).isEqualTo(Verdict.OK);
            assertThat(verifier.verifyUrl(url.replace("s1.m4s", "s2.m4s"), null)).isEqualTo(Verdict.BAD_SIGNATURE);
            assertThat(verifierAt(EXPIRES.plusSeconds(1)).verifyUrl(url, null)).isEqualTo(Verdict.EXPIRED);
        }

        @Test
        void refuseUnsignedUrls() {
            assertThat(verifier.verifyUrl(EVENT + "master.m3u8", null)).isEqualTo(Verdict.MISSING);
            assertThat(verifier.verifyUrl(EVENT + "master.m3u8?a=b", null)).isEqualTo(Verdict.MISSING);
        }
    }

    @Test
    void wildcardsMatchLikeCloudFront() {
        assertThat(Wildcards.matches("https://a/*", "https://a/")).isTrue();
        assertThat(Wildcards.matches("https://a/*/x.m4s", "https://a/b/c/x.m4s")).isTrue();
        assertThat(Wildcards.matches("https://a/?.m4s", "https://a/1.m4s")).isTrue();
        assertThat(Wildcards.matches("https://a/?.m4s", "https://a/12.m4s")).isFalse();
        assertThat(Wildcards.matches("https://a/b", "https://a/bc")).isFalse();
        assertThat(Wildcards.matches("https://A/*", "https://a/x")).isFalse();
        assertThat(Wildcards.matches("*a*a*a*a*a*a*a*b", "a".repeat(5000))).isFalse();
    }
}
