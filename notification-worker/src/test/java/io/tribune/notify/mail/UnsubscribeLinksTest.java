package io.tribune.notify.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsubscribeLinksTest {

    @Test
    void addsOneClickHeadersWithATokenNamingRecipientAndCategory() {
        UnsubscribeLinks links = new UnsubscribeLinks(URI.create("https://meet.example.org/"), "k1");

        Map<String, String> headers = links.headers("Ada@Example.org", "meetings");

        String token = links.token("ada@example.org", "meetings");
        assertThat(headers).containsEntry("List-Unsubscribe",
                "<https://meet.example.org/api/v1/notifications/unsubscribe?token=" + token + ">");
        assertThat(headers).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        assertThat(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8)).isEqualTo("ada@example.org\nmeetings");
    }

    @Test
    void signsWithTheKeySoAnotherKeyGivesAnotherToken() {
        URI url = URI.create("https://meet.example.org");
        assertThat(new UnsubscribeLinks(url, "k1").token("a@b.c", "meetings"))
                .isNotEqualTo(new UnsubscribeLinks(url, "k2").token("a@b.c", "meetings"));
        assertThat(new UnsubscribeLinks(url, "").headers("a@b.c", "meetings")).isEmpty();
    }
}
