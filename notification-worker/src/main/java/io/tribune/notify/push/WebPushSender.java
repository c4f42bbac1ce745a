package io.tribune.notify.push;

import com.zerodeplibs.webpush.PushSubscription;
import com.zerodeplibs.webpush.VAPIDKeyPair;
import com.zerodeplibs.webpush.VAPIDKeyPairs;
import com.zerodeplibs.webpush.httpclient.StandardHttpClientRequestPreparer;
import com.zerodeplibs.webpush.key.PrivateKeySources;
import com.zerodeplibs.webpush.key.PublicKeySources;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Sends one Web Push message: the payload encrypted for the subscription (RFC 8291, {@code aes128gcm}), the request
 * signed with the worker's VAPID key (RFC 8292), both by zerodep-web-push-java on the JDK's own crypto, sent with
 * the JDK's HTTP client. The push service's answer says what became of it: 2xx delivered, 404/410 the subscription
 * is gone (the api-server should forget it), 400/413 never deliverable, 429/5xx/IO errors worth retrying.
 *
 * <p>Thread-safe.
 */
public final class WebPushSender {

    /** What the push service said. */
    public enum Status { DELIVERED, EXPIRED, REJECTED, RETRY }

    public record Outcome(Status status, int httpStatus, String detail) {
    }

    /** A browser's push subscription: its endpoint and keys (base64url), as {@code PushSubscription.toJSON()}. */
    public record Subscription(String endpoint, String p256dh, String auth) {
        public Subscription {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(p256dh, "p256dh");
            Objects.requireNonNull(auth, "auth");
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final VAPIDKeyPair keys;
    private final String subject;
    private final Duration ttl;
    private final HttpClient http;

    public WebPushSender(String publicKey, String privateKey, String subject, Duration ttl) {
        this.keys = VAPIDKeyPairs.of(PrivateKeySources.ofECPrivateKey(privateKey(decode(privateKey))),
                PublicKeySources.ofUncompressedBytes(decode(publicKey)));
        this.subject = Objects.requireNonNull(subject, "subject");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The VAPID public key as the web client passes it to {@code pushManager.subscribe}. */
    public String publicKey() {
        return keys.extractPublicKeyInUncompressedFormAsString();
    }

    public Outcome send(Subscription subscription, String payload) throws InterruptedException {
        PushSubscription target = new PushSubscription();
        target.setEndpoint(subscription.endpoint());
        PushSubscription.Keys keysOfTarget = new PushSubscription.Keys();
        keysOfTarget.setP256dh(subscription.p256dh());
        keysOfTarget.setAuth(subscription.auth());
        target.setKeys(keysOfTarget);
        HttpResponse<String> response;
        try {
            java.net.http.HttpRequest request = StandardHttpClientRequestPreparer.getBuilder()
                    .pushSubscription(target)
                    .vapidJWTSubject(subject)
                    .vapidJWTExpiresAfter(15, TimeUnit.MINUTES)
                    .pushMessage(payload.getBytes(StandardCharsets.UTF_8))
                    .ttl(ttl.toSeconds(), TimeUnit.SECONDS)
                    .urgencyNormal()
                    .build(keys)
                    .toRequestBuilder()
                    .timeout(REQUEST_TIMEOUT)
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Outcome(Status.RETRY, 0, e.toString());
        } catch (RuntimeException e) {
            // A malformed subscription (bad key, bad URL): it will never work.
            return new Outcome(Status.REJECTED, 0, e.toString());
        }
        int code = response.statusCode();
        Status status = code >= 200 && code < 300 ? Status.DELIVERED
                : code == 404 || code == 410 ? Status.EXPIRED
                : code == 429 || code >= 500 ? Status.RETRY
                : Status.REJECTED;
        String body = response.body() == null ? "" : response.body().strip();
        return new Outcome(status, code, "HTTP " + code + (body.isEmpty() ? "" : ": "
                + body.substring(0, Math.min(200, body.length()))));
    }

    private static byte[] decode(String base64url) {
        return Base64.getUrlDecoder().decode(base64url.strip().replace('+', '-').replace('/', '_').replace("=", ""));
    }

    /** A P-256 private key from its 32-byte scalar. */
    static ECPrivateKey privateKey(byte[] scalar) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = ((ECPublicKey) generator.generateKeyPair().getPublic()).getParams();
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
                    new ECPrivateKeySpec(new BigInteger(1, scalar), p256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 private key: " + e.getMessage(), e);
        }
    }
}
