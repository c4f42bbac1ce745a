package io.tribune.common.token;

import com.nimbusds.jose.jwk.ECKey;

import java.util.Optional;

/** Where a verifier finds the public key a token names by {@code kid}: local keys, or a remote JWKS. */
public interface KeySource {

    Optional<ECKey> publicKey(String kid);
}
