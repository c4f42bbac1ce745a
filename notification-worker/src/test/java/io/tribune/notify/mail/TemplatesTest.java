package io.tribune.notify.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private final Templates templates = new Templates();

    @Test
    void rendersSubjectTextAndHtmlEscapingValuesOnlyInHtml() {
        Templates.Rendered mail = templates.render("verify_email",
                Map.of("email", "ada@example.org", "link", "https://meet.example.org/verify-email?link=a&b=<c>"));

        assertThat(mail.subject()).isEqualTo("Confirm your email address for Tribune");
        assertThat(mail.text()).contains("https://meet.example.org/verify-email?link=a&b=<c>");
        assertThat(mail.html()).contains("https://meet.example.org/verify-email?link=a&amp;b=&lt;c&gt;")
                .doesNotContain("{{");
    }

    @Test
    void refusesToRenderWithAPlaceholderLeftEmpty() {
        assertThatThrownBy(() -> templates.render("verify_email", Map.of("email", "ada@example.org")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("'link'");
    }

    @Test
    void reportsUnknownAndInvalidTemplateNames() {
        assertThatThrownBy(() -> templates.render("no_such_template", Map.of()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("unknown template");
        assertThatThrownBy(() -> templates.render("../../etc/passwd", Map.of()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("invalid template name");
        assertThat(templates.exists("meeting_invite")).isTrue();
    }

    @Test
    void everyMeetingTemplateUsesOnlyTheValuesMeetingMailsProvide() {
        assertThat(templates.placeholders("meeting_invite")).containsExactlyInAnyOrder("title", "when", "time_zone",
                "join_url", "recurrence_text");
        assertThat(templates.placeholders("meeting_reminder")).containsExactlyInAnyOrder("title", "when",
                "time_zone", "join_url", "minutes");
        assertThat(templates.placeholders("meeting_cancelled")).containsExactlyInAnyOrder("title", "when_suffix",
                "occurrence_text");
    }

    @Test
    void theNoticeTemplateSaysOnlyTheTitleBodyAndLinkTheApiServerSends() {
        assertThat(templates.placeholders("notice")).containsExactlyInAnyOrder("title", "body", "url");
        Templates.Rendered notice = templates.render("notice", Map.of("title", "Invitation: Design review",
                "body", "Ann invited you to \"Design review\" <today>.", "url", "https://meet.example.org/app/#/m"));

        assertThat(notice.subject()).isEqualTo("Invitation: Design review");
        assertThat(notice.text().strip()).startsWith("Ann invited you to \"Design review\" <today>.")
                .endsWith("https://meet.example.org/app/#/m");
        assertThat(notice.html()).contains("&lt;today&gt;").doesNotContain("{{");
    }
}
