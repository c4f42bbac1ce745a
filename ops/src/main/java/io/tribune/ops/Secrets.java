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
 * and reused afterwards: the first admin's password, the token signing keys, the passcode sealing key, the unsubscribe-token key. Production deployments
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
