package io.tribune.notify.mail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 8058 one-click unsubscribe headers for meeting mails (invitations, updates, reminders): {@code
 * List-Unsubscribe: <https://.../api/v1/notifications/unsubscribe?token=...>} and {@code List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click}. The token names the recipient and the mail category and is signed with
 * HMAC-SHA256 under a key the api-server shares, so the endpoint can trust it without a database lookup.
 * Account mails (verification, password reset) carry none: a person cannot opt out of them.
 *
 * <p>Immutable and thread-safe.
 */
public final class UnsubscribeLinks {

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final String endpoint;
    private final byte[] key;

    /** @param key the shared secret; empty: no headers are added */
    public UnsubscribeLinks(URI publicUrl, String key) {
        String base = publicUrl.toString();
        this.endpoint = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/api/v1/notifications/unsubscribe";
        this.key = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
    }

    /** The two header fields for a mail of {@code category} to {@code recipient}, or none without a key. */
    public Map<String, String> headers(String recipient, String category) {
        if (key.length == 0) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<" + endpoint + "?token=" + token(recipient, category) + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return headers;
    }

    /** {@code base64url(recipient \n category) . base64url(HMAC-SHA256(key, that))}. */
    public String token(String recipient, String category) {
        byte[] payload = (recipient.toLowerCase(Locale.ROOT) + "\n" + category).getBytes(StandardCharsets.UTF_8);
        return BASE64.encodeToString(payload) + "." + BASE64.encodeToString(hmac(payload));
    }

    private byte[] hmac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
