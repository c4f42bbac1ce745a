package io.tribune.common.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ES256 (P-256) keys tokens are signed with: the first is the current signing key, the others are earlier
 * keys still accepted for verification after a rotation. Persisted as a JWK set file (private parts included,
 * owner-only permissions) so every instance and restart signs with the same key. Immutable and thread-safe.
 */
public final class SigningKeys implements KeySource {

    private final List<ECKey> keys;

    private SigningKeys(List<ECKey> keys) {
        if (keys.isEmpty() || !keys.get(0).isPrivate()) {
            throw new IllegalArgumentException("the first key must be a private EC key to sign with");
        }
        this.keys = List.copyOf(keys);
    }

    /** A fresh P-256 key pair. */
    public static SigningKeys generate() {
        return new SigningKeys(List.of(newKey()));
    }

    /** Reads the JWK set file, or creates it with a fresh key when it does not exist. */
    public static SigningKeys loadOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return fromJson(Files.readString(file, StandardCharsets.UTF_8));
            }
            SigningKeys created = generate();
            created.save(file);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the signing keys in " + file, e);
        }
    }

    /** Parses a JWK set with private keys, current key first. */
    public static SigningKeys fromJson(String jwkSetJson) {
        try {
            List<ECKey> keys = new ArrayList<>();
            for (JWK jwk : JWKSet.parse(jwkSetJson).getKeys()) {
                if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || ec.getKeyID() == null) {
                    throw new IllegalArgumentException("signing keys must be P-256 EC keys with a kid");
                }
                keys.add(ec);
            }
            return new SigningKeys(keys);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK set: " + e.getMessage(), e);
        }
    }

    /** A new current key; the old ones stay for verifying tokens they signed (at most {@code keep} in all). */
    public SigningKeys rotate(int keep) {
        List<ECKey> rotated = new ArrayList<>();
        rotated.add(newKey());
        rotated.addAll(keys.subList(0, Math.min(keys.size(), Math.max(0, keep - 1))));
        return new SigningKeys(rotated);
    }

    /** Writes the set atomically with owner-only permissions. */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".keys", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, new JWKSet(new ArrayList<>(keys)).toString(false), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The key new tokens are signed with. */
    public ECKey current() {
        return keys.get(0);
    }

    /** The public keys as a JWKS document, for {@code /.well-known/jwks.json}. */
    public JWKSet publicJwks() {
        return new JWKSet(new ArrayList<>(keys)).toPublicJWKSet();
    }

    public String publicJwksJson() {
        return publicJwks().toString(true);
    }

    @Override
    public Optional<ECKey> publicKey(String kid) {
        return keys.stream().filter(k -> k.getKeyID().equals(kid)).findFirst().map(ECKey::toPublicJWK);
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }
}
