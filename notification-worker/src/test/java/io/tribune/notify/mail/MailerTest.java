package io.tribune.notify.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class MailerTest {

    private final Mailer mailer = new Mailer(new SmtpConfiguration(), "Tribune <no-reply@meet.example.org>",
            "meet.example.org", Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void rendersTextHtmlAndCalendarAlternativesPlusAnAttachmentWithAMessageIdFromTheNotificationId()
            throws Exception {
        UUID id = UUID.fromString("7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11");
        Email email = new Email(id, "meeting_invite", "ada@example.org",
                new Templates.Rendered("Invitation: Planning", "plain", "<p>html</p>"),
                new Email.CalendarPart("REQUEST", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
                Map.of("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), null);

        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(mailer.render(email)));

        assertThat(message.getMessageID()).isEqualTo("<" + id + "@meet.example.org>");
        assertThat(message.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        assertThat(message.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        MimeMultipart mixed = (MimeMultipart) message.getContent();
        assertThat(message.getContentType()).startsWith("multipart/mixed");
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(alternative.getBodyPart(2).getContentType()).isEqualTo(
                "text/calendar; charset=UTF-8; method=REQUEST");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("invite.ics");
    }

    @Test
    void refusesAnInvalidRecipientAsAPermanentFailure() {
        Email email = new Email(UUID.randomUUID(), "verify_email", "not an address",
                new Templates.Rendered("s", "t", "h"), null, Map.of(), null);

        assertThatThrownBy(() -> mailer.render(email)).isInstanceOfSatisfying(SendFailure.class,
                failure -> assertThat(failure.isPermanent()).isTrue());
    }

    @Test
    void treats5xxRepliesAsPermanentAnd4xxOrConnectionFailuresAsWorthRetrying() throws Exception {
        InternetAddress ada = new InternetAddress("ada@example.org");
        assertThat(Mailer.isPermanent(new SMTPAddressFailedException(ada, "RCPT TO", 550, "no such user")))
                .isTrue();
        assertThat(Mailer.isPermanent(new SMTPAddressFailedException(ada, "RCPT TO", 452, "mailbox full")))
                .isFalse();
        assertThat(Mailer.isPermanent(new SMTPSendFailedException("DATA", 554, "rejected", null, null, null, null)))
                .isTrue();
        SendFailedException wrapped = new SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(ada, "RCPT TO", 451, "try later"));
        assertThat(Mailer.isPermanent(wrapped)).isFalse();
        assertThat(Mailer.isPermanent(new MessagingException("Couldn't connect", new ConnectException()))).isFalse();
    }
}
