package io.tribune.api.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the notification-worker's RFC 8058 unsubscribe tokens ({@code UnsubscribeLinks} there):
 * {@code base64url(lower-case address \n category) . base64url(HMAC-SHA256(key, that))}, compared in constant
 * time. Immutable and thread-safe.
 */
public final class UnsubscribeTokens {

    /** What a valid token names. */
    public record Subject(String email, String category) {
    }

    private final byte[] key;

    public UnsubscribeTokens(String key) {
        this.key = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
    }

    /** The token's address and category, or empty when it is malformed, forged, or no key is configured. */
    public Optional<Subject> verify(String token) {
        if (key.length == 0 || token == null || token.length() > 2048) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(hmac(payload), signature)) {
            return Optional.empty();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline <= 0 || newline == text.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Subject(text.substring(0, newline), text.substring(newline + 1)));
    }

    /** A token for {@code email} and {@code category}, made as the worker makes it (for tests). */
    public String sign(String email, String category) {
        byte[] payload = (email.toLowerCase(java.util.Locale.ROOT) + "\n" + category).getBytes(StandardCharsets.UTF_8);
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString(payload) + "." + encoder.encodeToString(hmac(payload));
    }

    private byte[] hmac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
