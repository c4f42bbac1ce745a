package io.tribune.api.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B §5.1.1.2, OWASP): 10 to 128 characters, not the account's email
 * address or username, not one of the most common passwords, not one character repeated. No composition rules
 * (they make passwords worse, not better). Immutable and thread-safe.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 128;

    private static final String COMMON_PASSWORDS = "common-passwords.txt";

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = Set.copyOf(common);
    }

    /** The policy with the built-in list of common passwords. */
    public static PasswordPolicy standard() {
        return new PasswordPolicy(loadCommonPasswords());
    }

    /**
     * Why {@code password} is not acceptable for the account with this username and email (either may be null
     * when not known yet), as a message for the {@code password} field; empty when it is acceptable.
     */
    public Optional<String> problem(String password, String username, String email) {
        if (password == null) {
            return Optional.of("is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters long");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        String folded = password.toLowerCase(Locale.ROOT);
        if (email != null && folded.equals(email.toLowerCase(Locale.ROOT))) {
            return Optional.of("must not be the email address");
        }
        if (username != null && folded.equals(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("must not be the username");
        }
        if (password.codePoints().distinct().count() == 1) {
            return Optional.of("must not be one character repeated");
        }
        if (common.contains(folded)) {
            return Optional.of("is one of the most commonly used passwords; choose another");
        }
        return Optional.empty();
    }

    private static Set<String> loadCommonPasswords() {
        Set<String> passwords = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_PASSWORDS)) {
            if (in == null) {
                throw new IllegalStateException(COMMON_PASSWORDS + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    passwords.add(entry.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + COMMON_PASSWORDS, e);
        }
        return passwords;
    }
}
