package io.tribune.common.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Fuzzes what viewers send the origin: signed URLs and cookies. Any input yields a verdict (never an exception),
 * and only a policy signed with the trusted key is ever accepted, whatever its JSON holds. The fuzzer also gets
 * to sign policies of its own making with the trusted key, so that the policy checks behind the signature are
 * reached. Without {@code JAZZER_FUZZ=1} this replays the seeds under {@code CloudFrontVerifierFuzzTestInputs}.
 */
class CloudFrontVerifierFuzzTest {

    private static final KeyPair KEYS = generate();
    private static final CloudFrontVerifier VERIFIER = new CloudFrontVerifier(Map.of("K1", KEYS.getPublic()),
            Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "30s")
    void everyInputGetsAVerdictAndOnlySignedPoliciesPass(FuzzedDataProvider data) {
        boolean signIt = data.consumeBoolean();
        String url = data.consumeString(200);
        String policy = data.consumeString(600);
        String keyId = data.consumeBoolean() ? "K1" : data.consumeString(10);
        String address = data.consumeString(40);
        String signature = signIt ? encode(sign(KEYS.getPrivate(), policy.getBytes(StandardCharsets.UTF_8)))
                : data.consumeRemainingAsString();
        Map<String, String> cookies = new HashMap<>();
        cookies.put("CloudFront-Policy", encode(policy.getBytes(StandardCharsets.UTF_8)));
        cookies.put("CloudFront-Signature", signature);
        cookies.put("CloudFront-Key-Pair-Id", keyId);
        CloudFrontVerifier.Verdict verdict = VERIFIER.verifyCookies(url, cookies, address);
        if (verdict.allowed()) {
            assertThat(signIt).as("accepted a policy nobody signed").isTrue();
            assertThat(keyId).isEqualTo("K1");
        }
        VERIFIER.verifyUrl(url + (url.contains("?") ? "&" : "?") + "Policy=" + cookies.get("CloudFront-Policy")
                + "&Signature=" + signature + "&Key-Pair-Id=" + keyId, address);
        VERIFIER.verifyUrl(url, address);
    }

    /** CloudFront's URL-safe base64. */
    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes).replace('+', '-').replace('=', '_').replace('/', '~');
    }

    private static byte[] sign(PrivateKey key, byte[] policy) {
        try {
            Signature signer = Signature.getInstance("SHA1withRSA");
            signer.initSign(key);
            signer.update(policy);
            return signer.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(1024); // fuzzing speed; the verifier does not care about the size
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
