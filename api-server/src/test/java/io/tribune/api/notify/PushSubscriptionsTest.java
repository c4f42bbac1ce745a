package io.tribune.api.notify;

import io.tribune.api.errors.ApiException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushSubscriptionsTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String KEY = B64.encodeToString(point());
    private static final String AUTH = B64.encodeToString(new byte[16]);

    private static byte[] point() {
        byte[] point = new byte[65];
        point[0] = 4;
        return point;
    }

    @Test
    void acceptsAnHttpsEndpointWithA65ByteKeyAndA16ByteSecret() {
        assertThatCode(() -> PushSubscriptions.validate("https://fcm.googleapis.com/fcm/send/abc", KEY, AUTH))
                .doesNotThrowAnyException();
        assertThatCode(() -> PushSubscriptions.validate("https://push.example/x", KEY + "=", AUTH + "=="))
                .doesNotThrowAnyException();
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertField(() -> PushSubscriptions.validate("http://push.example/x", KEY, AUTH), "endpoint");
        assertField(() -> PushSubscriptions.validate("https:///nohost", KEY, AUTH), "endpoint");
        assertField(() -> PushSubscriptions.validate(null, KEY, AUTH), "endpoint");
        assertField(() -> PushSubscriptions.validate("https://p.example/" + "x".repeat(3000), KEY, AUTH),
                "endpoint");
        assertField(() -> PushSubscriptions.validate("https://p.example/x", B64.encodeToString(new byte[33]), AUTH),
                "keys.p256dh");
        byte[] compressed = point();
        compressed[0] = 2;
        assertField(() -> PushSubscriptions.validate("https://p.example/x", B64.encodeToString(compressed), AUTH),
                "keys.p256dh");
        assertField(() -> PushSubscriptions.validate("https://p.example/x", KEY.replace('A', '+'), AUTH),
                "keys.p256dh");
        assertField(() -> PushSubscriptions.validate("https://p.example/x", KEY, B64.encodeToString(new byte[12])),
                "keys.auth");
        assertField(() -> PushSubscriptions.validate("https://p.example/x", KEY, null), "keys.auth");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("invalid_subscription");
            org.assertj.core.api.Assertions.assertThat(e.details()).containsEntry("field", field);
        });
    }
}
