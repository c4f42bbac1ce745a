package io.tribune.api.notify;

import io.tribune.api.errors.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Browsers' Web Push subscriptions (table {@code push_subscriptions}): validated when registered, listed for the
 * fan-out, removed by their owner or when the worker reports the push service answered 404/410.
 *
 * <p>Thread-safe.
 */
public final class PushSubscriptions {

    /** One browser's subscription: what the worker needs to encrypt (RFC 8291) and deliver (RFC 8030). */
    public record Subscription(String id, String endpoint, String p256dh, String auth) {
    }

    private static final Pattern BASE64URL = Pattern.compile("^[A-Za-z0-9_-]+={0,2}$");
    private static final int MAX_ENDPOINT = 2048;

    private final Jdbi jdbi;
    private final Clock clock;

    public PushSubscriptions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Stores a subscription for {@code userId} (a second registration of the same endpoint replaces the first:
     * the browser rotated its keys, or another user logged in on it). 400 with a code naming what is wrong.
     */
    public Subscription register(String userId, String endpoint, String p256dh, String auth) {
        validate(endpoint, p256dh, auth);
        String id = UUID.randomUUID().toString();
        return jdbi.withHandle(handle -> handle.createQuery("INSERT INTO push_subscriptions (id, user_id, endpoint, "
                        + "p256dh, auth, created_at) VALUES (CAST(:id AS uuid), CAST(:user AS uuid), :endpoint, "
                        + ":p256dh, :auth, :now) ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, "
                        + "p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, created_at = EXCLUDED.created_at "
                        + "RETURNING CAST(id AS text) AS id, endpoint, p256dh, auth")
                .bind("id", id).bind("user", userId).bind("endpoint", endpoint).bind("p256dh", p256dh)
                .bind("auth", auth).bind("now", clock.instant())
                .map((rs, ctx) -> new Subscription(rs.getString("id"), rs.getString("endpoint"),
                        rs.getString("p256dh"), rs.getString("auth")))
                .one());
    }

    /** Removes the caller's subscription with this endpoint; false when they have none. */
    public boolean remove(String userId, String endpoint) {
        return jdbi.withHandle(handle -> remove(handle, userId, endpoint)) > 0;
    }

    public static int remove(Handle handle, String userId, String endpoint) {
        return handle.createUpdate("DELETE FROM push_subscriptions WHERE endpoint = :endpoint"
                        + (userId == null ? "" : " AND user_id = CAST(:user AS uuid)"))
                .bind("endpoint", endpoint).bind("user", userId).execute();
    }

    public List<Subscription> list(String userId) {
        return jdbi.withHandle(handle -> of(handle, userId));
    }

    static List<Subscription> of(Handle handle, String userId) {
        return handle.createQuery("SELECT CAST(id AS text) AS id, endpoint, p256dh, auth FROM push_subscriptions "
                        + "WHERE user_id = CAST(:user AS uuid) ORDER BY created_at")
                .bind("user", userId)
                .map((rs, ctx) -> new Subscription(rs.getString("id"), rs.getString("endpoint"),
                        rs.getString("p256dh"), rs.getString("auth")))
                .list();
    }

    /**
     * An https endpoint (RFC 8030 requires TLS), the user agent's P-256 public key as an uncompressed point (65
     * bytes, first byte 0x04) and a 16-byte auth secret, both base64url (RFC 8291 section 3).
     */
    static void validate(String endpoint, String p256dh, String auth) {
        if (endpoint == null || endpoint.isBlank()) {
            throw invalid("endpoint", "endpoint is required");
        }
        if (endpoint.length() > MAX_ENDPOINT) {
            throw invalid("endpoint", "endpoint is longer than " + MAX_ENDPOINT + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw invalid("endpoint", "endpoint is not a URL: " + e.getReason());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw invalid("endpoint", "endpoint must be an https:// URL of a push service");
        }
        byte[] key = decode("keys.p256dh", p256dh);
        if (key.length != 65 || key[0] != 0x04) {
            throw invalid("keys.p256dh", "keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)"
                    + ", not " + key.length + " bytes");
        }
        byte[] secret = decode("keys.auth", auth);
        if (secret.length != 16) {
            throw invalid("keys.auth", "keys.auth must be a 16-byte secret (base64url), not " + secret.length
                    + " bytes");
        }
    }

    private static byte[] decode(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, field + " is required");
        }
        if (!BASE64URL.matcher(value).matches()) {
            throw invalid(field, field + " must be base64url (A-Z, a-z, 0-9, '-', '_')");
        }
        try {
            return Base64.getUrlDecoder().decode(value.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw invalid(field, field + " is not valid base64url: " + e.getMessage());
        }
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid_subscription", message, Map.of("field", field));
    }
}
