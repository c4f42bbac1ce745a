package io.tribune.api.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationMessageTest {

    @Test
    void pushesTheMailsTemplateAndParamsUnlessAskedToPushANotice() {
        Notifications.Message mail = new Notifications.Message("transcript_summary",
                Map.of("title", "Review", "key_points", "- a long list"), "Meeting summary: Review", "2 key points.",
                "https://meet.example.org/app/#/recordings/r");
        assertThat(mail.pushTemplate()).isEqualTo("transcript_summary");
        assertThat(mail.pushParams()).isEqualTo(mail.params());

        Notifications.Message notice = mail.pushedAsNotice();
        assertThat(notice.template()).isEqualTo("transcript_summary");
        assertThat(notice.params()).isEqualTo(mail.params());
        assertThat(notice.pushTemplate()).isEqualTo(Notifications.NOTICE_TEMPLATE);
        assertThat(notice.pushParams()).containsExactlyInAnyOrderEntriesOf(Map.of("title", "Meeting summary: Review",
                "body", "2 key points.", "url", "https://meet.example.org/app/#/recordings/r"));
    }

    @Test
    void aNoticeIsItsTitleBodyAndLinkOnEveryChannel() {
        Notifications.Message notice = Notifications.Message.notice("Invitation: Review", "Ann invited you.",
                "https://meet.example.org/app/#/meetings/m");
        assertThat(notice.template()).isEqualTo("notice");
        assertThat(notice.params()).isEqualTo(notice.pushParams()).containsEntry("body", "Ann invited you.");
    }

    @Test
    void skipsOnlyTheNamedChannelAndKeepsAFixedMailId() {
        Notifications.Delivery every = Notifications.Delivery.EVERY_CHANNEL;
        assertThat(every.includes(Channel.EMAIL)).isTrue();
        assertThat(every.emailId()).isNull();

        Notifications.Delivery noMail = Notifications.Delivery.skipping(Channel.EMAIL);
        assertThat(noMail.includes(Channel.EMAIL)).isFalse();
        assertThat(noMail.includes(Channel.PUSH)).isTrue();
        assertThat(noMail.includes(Channel.IN_APP)).isTrue();

        assertThat(every.withEmailId("transcript-summary-r-u").emailId()).isEqualTo("transcript-summary-r-u");
    }
}
