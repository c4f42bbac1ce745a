package io.tribune.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * Secrets of one data directory, created on first use in {@code <dataDir>/secrets/} with owner-only permissions
 * and reused afterwards: the first admin's password, the token signing keys, the passcode sealing key, the unsubscribe-token key, the VAPID key pair. Production deployments
 * provide their own through the services' configuration instead.
 */
final class Secrets {

    static final String ADMIN_EMAIL = "admin@tribune.local";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static Path directory(Settings settings) {
        return settings.dataDir().resolve("secrets");
    }

    /** The first admin's password: 20 random characters (~115 bits), created once. */
    static String adminPassword(Settings settings) {
        return randomSecret(settings, "admin-password", 20);
    }

    /** The key signing the notification worker's one-click unsubscribe tokens: 32 characters (~180 bits). */
    static String unsubscribeKey(Settings settings) {
        return randomSecret(settings, "unsubscribe.key", 32);
    }

    /**
     * The VAPID key pair (RFC 8292) the notification worker signs Web Push requests with, created once: {public,
     * private}, base64url of the uncompressed P-256 point (65 bytes) and of the 32-byte private scalar.
     */
    static String[] vapidKeys(Settings settings) {
        Path file = directory(settings).resolve("vapid.keys");
        try {
            if (Files.isRegularFile(file)) {
                String[] lines = Files.readString(file, StandardCharsets.UTF_8).trim().split("\n");
                if (lines.length == 2) {
                    return new String[] {lines[0].trim(), lines[1].trim()};
                }
            }
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), RANDOM);
            java.security.KeyPair pair = generator.generateKeyPair();
            java.security.interfaces.ECPublicKey publicKey = (java.security.interfaces.ECPublicKey) pair.getPublic();
            byte[] point = new byte[65];
            point[0] = 4;
            fixed32(publicKey.getW().getAffineX(), point, 1);
            fixed32(publicKey.getW().getAffineY(), point, 33);
            byte[] scalar = new byte[32];
            fixed32(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(), scalar, 0);
            java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
            String[] keys = {base64.encodeToString(point), base64.encodeToString(scalar)};
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            Files.writeString(file, keys[0] + "\n" + keys[1] + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a P-256 key pair", e);
        }
    }

    private static void fixed32(java.math.BigInteger value, byte[] into, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - length, into, offset + 32 - length, length);
    }

    private static String randomSecret(Settings settings, String name, int length) {
        Path file = directory(settings).resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            StringBuilder password = new StringBuilder();
            for (int i = 0; i < length; i++) {
                password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return password.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** Where the api-server keeps the key that seals meeting passcodes (it creates the file). */
    static Path passcodeKeyFile(Settings settings) {
        return directory(settings).resolve("meeting-passcodes.key");
    }

    /** Where the api-server keeps its ES256 signing keys (it creates the file). */
    static Path signingKeysFile(Settings settings) {
        return directory(settings).resolve("signing-keys.jwks.json");
    }
}
