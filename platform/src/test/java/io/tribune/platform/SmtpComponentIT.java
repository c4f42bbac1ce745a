package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SmtpComponentIT {

    @Test
    void receivesMailOnAFreePortAndShowsItOnTheMailboxPage() throws Exception {
        try (SmtpComponent smtp = new SmtpComponent(0, 0)) {
            smtp.start();
            assertThat(smtp.port()).isPositive();

            send(smtp.port(), "ada@example.org", "Weekly <planning> & more");

            assertThat(smtp.awaitMessages(1, Duration.ofSeconds(10))).isTrue();
            assertThat(smtp.receivedMessages()).hasSize(1);
            assertThat(smtp.receivedMessages().get(0).getSubject()).isEqualTo("Weekly <planning> & more");

            HttpClient http = HttpClient.newHttpClient();
            String page = http.send(HttpRequest.newBuilder(URI.create(smtp.mailboxUrl())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("1 message(s)").contains("ada@example.org")
                    .contains("Weekly &lt;planning&gt; &amp; more");
            String source = http.send(HttpRequest.newBuilder(URI.create(smtp.mailboxUrl() + "messages/0")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(source).contains("Subject: Weekly <planning> & more").contains("hello there");
        }
    }

    @Test
    void keepsItsPortAcrossRestartAndRefusesMailWhileStopped() throws Exception {
        try (SmtpComponent smtp = SmtpComponent.forTests()) {
            smtp.start();
            int port = smtp.port();
            smtp.stop();
            assertThatThrownBy(() -> send(port, "bob@example.org", "lost")).isInstanceOf(MessagingException.class);
            smtp.start();
            assertThat(smtp.port()).isEqualTo(port);
            assertThat(smtp.mailboxUrl()).isNull();
            send(port, "bob@example.org", "after restart");
            assertThat(smtp.awaitMessages(1, Duration.ofSeconds(10))).isTrue();
        }
    }

    private static void send(int port, String to, String subject) throws MessagingException {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.connectiontimeout", "2000");
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress("tribune@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        message.setText("hello there", "UTF-8");
        Transport.send(message);
    }
}
