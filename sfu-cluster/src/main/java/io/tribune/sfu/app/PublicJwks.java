package io.tribune.sfu.app;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tribune.common.token.KeySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The api-server's public signing keys, read from a JWKS file at startup. Thread-safe (immutable after load). */
public final class PublicJwks implements KeySource {

    private final Map<String, ECKey> keys = new ConcurrentHashMap<>();

    private PublicJwks(JWKSet set) {
        for (JWK jwk : set.getKeys()) {
            if (jwk instanceof ECKey ec && ec.getKeyID() != null) {
                keys.put(ec.getKeyID(), ec.toPublicJWK());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the JWKS holds no EC key with a kid");
        }
    }

    public static PublicJwks read(Path file) throws IOException {
        try {
            return new PublicJwks(JWKSet.parse(Files.readString(file)));
        } catch (ParseException e) {
            throw new IOException("not a JWK set: " + file, e);
        }
    }

    @Override
    public Optional<ECKey> publicKey(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }
}
