package io.tribune.api.notify;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Reads what the embedded SMTP server ({@code platform}'s {@code SmtpComponent}, dev mode only) received, through
 * its small read API: {@code GET /messages} (the count) and {@code GET /messages/N} (message N's RFC 5322 source),
 * and parses each with Jakarta Mail. Nothing is cached: the page always shows the server's current state.
 * Thread-safe.
 */
public final class DevMailbox {

    /** One received message: its index (for links), headers, HTML and text bodies, and its calendar file. */
    public record Mail(int index, String subject, String from, String to, Date received, String html, String text,
                       byte[] calendar, String calendarName) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Session session = Session.getInstance(new Properties());

    public DevMailbox(URI base) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
    }

    public int count() throws IOException {
        String body = new String(get("messages"), StandardCharsets.UTF_8).strip();
        try {
            return Integer.parseInt(body);
        } catch (NumberFormatException e) {
            throw new IOException("the dev mailbox answered " + body + " for its message count");
        }
    }

    /** The newest {@code limit} messages, newest first. */
    public List<Mail> newest(int limit) throws IOException {
        int count = count();
        List<Mail> mails = new ArrayList<>();
        for (int i = count - 1; i >= 0 && mails.size() < limit; i--) {
            find(i).ifPresent(mails::add);
        }
        return mails;
    }

    public Optional<Mail> find(int index) throws IOException {
        if (index < 0) {
            return Optional.empty();
        }
        byte[] source;
        try {
            source = get("messages/" + index);
        } catch (NotFound e) {
            return Optional.empty();
        }
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(source));
            Parts parts = new Parts();
            parts.walk(message);
            return Optional.of(new Mail(index, orEmpty(message.getSubject()), join(message.getFrom()),
                    join(message.getAllRecipients()), message.getSentDate(), parts.html, parts.text, parts.calendar,
                    parts.calendarName));
        } catch (MessagingException e) {
            throw new IOException("message " + index + " of the dev mailbox cannot be parsed: " + e.getMessage(), e);
        }
    }

    private byte[] get(String path) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the dev mailbox", e);
        }
        if (response.statusCode() == 404) {
            throw new NotFound();
        }
        if (response.statusCode() != 200) {
            throw new IOException("the dev mailbox at " + base + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static final class NotFound extends IOException {
        NotFound() {
            super("not found");
        }
    }

    /** The first HTML and plain-text bodies and the first calendar part (attachment preferred). */
    private static final class Parts {
        String html;
        String text;
        byte[] calendar;
        String calendarName;

        void walk(Part part) throws MessagingException, IOException {
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child);
                }
                return;
            }
            boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
            if (part.isMimeType("text/calendar")) {
                if (calendar == null || attachment) {
                    calendar = part.getInputStream().readAllBytes();
                    calendarName = part.getFileName() != null ? part.getFileName() : "invite.ics";
                }
            } else if (part.isMimeType("text/html") && html == null && !attachment) {
                html = String.valueOf(part.getContent());
            } else if (part.isMimeType("text/plain") && text == null && !attachment) {
                text = String.valueOf(part.getContent());
            }
        }
    }

    private static String join(jakarta.mail.Address[] addresses) {
        return addresses == null ? "" : Arrays.stream(addresses).map(Object::toString)
                .collect(Collectors.joining(", "));
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
