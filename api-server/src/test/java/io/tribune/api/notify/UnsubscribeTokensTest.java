package io.tribune.api.notify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnsubscribeTokensTest {

    private final UnsubscribeTokens tokens = new UnsubscribeTokens("k1");

    @Test
    void acceptsATokenMadeAsTheWorkerMakesIt() throws Exception {
        // notification-worker's UnsubscribeLinks: base64url(address \n category) . base64url(HMAC-SHA256)
        byte[] payload = "ada@example.org\ninvitations".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("k1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString(payload) + "." + b64.encodeToString(mac.doFinal(payload));

        assertThat(tokens.verify(token)).contains(new UnsubscribeTokens.Subject("ada@example.org", "invitations"));
        assertThat(tokens.sign("Ada@Example.org", "invitations")).isEqualTo(token);
    }

    @Test
    void refusesForgedAlteredMalformedAndUnkeyedTokens() {
        String token = tokens.sign("ada@example.org", "reminders");
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("eve@example.org\nreminders".getBytes(StandardCharsets.UTF_8));

        assertThat(new UnsubscribeTokens("k2").verify(token)).isEmpty();
        assertThat(tokens.verify(otherPayload + token.substring(token.indexOf('.')))).isEmpty();
        assertThat(tokens.verify("no-dot")).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
        assertThat(tokens.verify("!!!.???")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
        assertThat(new UnsubscribeTokens("").verify(new UnsubscribeTokens("").sign("a@b.c", "reminders"))).isEmpty();
    }
}
