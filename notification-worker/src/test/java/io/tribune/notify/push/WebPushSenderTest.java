package io.tribune.notify.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebPushSenderTest {

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();

    private HttpServer pushService;

    @AfterEach
    void stop() {
        if (pushService != null) {
            pushService.stop(0);
        }
    }

    /** RFC 8291 section 5: the user agent's side of the example decrypts to the example's message. */
    @Test
    void decryptsTheRfc8291Section5ExampleWithTheUserAgentsKeys() throws Exception {
        byte[] body = B64.decode("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmY"
                + "WAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");
        byte[] plaintext = UserAgentDecryptor.decrypt(body,
                B64.decode("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"),
                B64.decode("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
                B64.decode("BTBZMqHH6r4Tts7J_aSIgg"));

        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo("When I grow up, I want to be a watermelon");
    }

    @Test
    void sendsAnAes128gcmMessageThePushServiceCanDecryptWithAValidVapidSignature() throws Exception {
        KeyPair ua = p256();
        byte[] auth = new byte[16];
        new java.security.SecureRandom().nextBytes(auth);
        Map<String, String> seen = new ConcurrentHashMap<>();
        pushService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pushService.createContext("/push/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                seen.put("payload", new String(UserAgentDecryptor.decrypt(body,
                        UserAgentDecryptor.scalar((ECPrivateKey) ua.getPrivate()),
                        UserAgentDecryptor.uncompressed((ECPublicKey) ua.getPublic()), auth), StandardCharsets.UTF_8));
            } catch (Exception e) {
                seen.put("payload", "UNDECRYPTABLE " + e);
            }
            seen.put("encoding", exchange.getRequestHeaders().getFirst("Content-Encoding"));
            seen.put("ttl", exchange.getRequestHeaders().getFirst("TTL"));
            seen.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        pushService.start();
        KeyPair vapid = p256();
        WebPushSender sender = new WebPushSender(
                B64E.encodeToString(UserAgentDecryptor.uncompressed((ECPublicKey) vapid.getPublic())),
                B64E.encodeToString(UserAgentDecryptor.scalar((ECPrivateKey) vapid.getPrivate())),
                "mailto:ops@meet.example.org", Duration.ofMinutes(5));
        WebPushSender.Subscription subscription = new WebPushSender.Subscription(
                "http://127.0.0.1:" + pushService.getAddress().getPort() + "/push/abc",
                B64E.encodeToString(UserAgentDecryptor.uncompressed((ECPublicKey) ua.getPublic())),
                B64E.encodeToString(auth));

        WebPushSender.Outcome outcome = sender.send(subscription, "{\"title\":\"Stand-up starts now\"}");

        assertThat(outcome.status()).isEqualTo(WebPushSender.Status.DELIVERED);
        assertThat(seen.get("payload")).isEqualTo("{\"title\":\"Stand-up starts now\"}");
        assertThat(seen.get("encoding")).isEqualTo("aes128gcm");
        assertThat(seen.get("ttl")).isEqualTo("300");
        // RFC 8292: "vapid t=<JWT>, k=<public key>"; the JWT's ES256 signature verifies with k.
        String authorization = seen.get("authorization");
        assertThat(authorization).startsWith("vapid t=");
        String jwt = authorization.substring("vapid t=".length(), authorization.indexOf(','));
        String k = authorization.substring(authorization.indexOf("k=") + 2).strip();
        assertThat(k).isEqualTo(sender.publicKey());
        String[] parts = jwt.split("\\.");
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(UserAgentDecryptor.publicKey(B64.decode(k)));
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(B64.decode(parts[2]))).isTrue();
        assertThat(new String(B64.decode(parts[1]), StandardCharsets.UTF_8))
                .contains("\"aud\":\"http://127.0.0.1:" + pushService.getAddress().getPort() + "\"")
                .contains("\"sub\":\"mailto:ops@meet.example.org\"");
    }

    @Test
    void reportsAGoneSubscriptionAsExpired() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        pushService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pushService.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(410, -1);
            exchange.close();
        });
        pushService.start();
        KeyPair vapid = p256();
        KeyPair ua = p256();
        WebPushSender sender = new WebPushSender(
                B64E.encodeToString(UserAgentDecryptor.uncompressed((ECPublicKey) vapid.getPublic())),
                B64E.encodeToString(UserAgentDecryptor.scalar((ECPrivateKey) vapid.getPrivate())),
                "mailto:ops@meet.example.org", Duration.ofMinutes(5));

        WebPushSender.Outcome outcome = sender.send(new WebPushSender.Subscription(
                "http://127.0.0.1:" + pushService.getAddress().getPort() + "/gone",
                B64E.encodeToString(UserAgentDecryptor.uncompressed((ECPublicKey) ua.getPublic())),
                B64E.encodeToString(new byte[16])), "{}");

        assertThat(outcome.status()).isEqualTo(WebPushSender.Status.EXPIRED);
        assertThat(outcome.httpStatus()).isEqualTo(410);
        assertThat(calls).hasValue(1);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
