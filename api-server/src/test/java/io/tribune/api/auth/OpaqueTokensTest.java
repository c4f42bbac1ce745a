package io.tribune.api.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OpaqueTokensTest {

    @Test
    void makesDistinct256BitSecretsIn43Base64UrlCharacters() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            secrets.add(OpaqueTokens.newSecret());
        }

        assertThat(secrets).hasSize(1000).allMatch(secret -> secret.matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void hashesWithSha256() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assertThat(OpaqueTokens.hexHash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(OpaqueTokens.hash("abc")).hasSize(32);
    }
}
