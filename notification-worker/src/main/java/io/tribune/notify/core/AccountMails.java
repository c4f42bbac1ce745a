package io.tribune.notify.core;

import io.tribune.notify.mail.Email;
import io.tribune.notify.mail.Templates;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Email verification and password reset mails. The link is the web client's page on the public URL with the
 * one-time link id the event carries ({@code /verify-email?link=...}, {@code /reset-password?link=...}); the
 * page posts it to {@code POST /api/v1/users/verify-email} or {@code /password-reset/confirm}. No unsubscribe
 * header: these are not optional. Thread-safe.
 */
public final class AccountMails {

    public static final String VERIFY = "verify_email";
    public static final String RESET = "password_reset";

    private final Templates templates;
    private final String publicUrl;

    public AccountMails(Templates templates, URI publicUrl) {
        this.templates = templates;
        String base = publicUrl.toString();
        this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public Email verification(UUID eventId, String email, String linkId) {
        return mail(eventId, VERIFY, email, publicUrl + "/verify-email?link=" + encode(linkId));
    }

    public Email passwordReset(UUID eventId, String email, String linkId) {
        return mail(eventId, RESET, email, publicUrl + "/reset-password?link=" + encode(linkId));
    }

    private Email mail(UUID eventId, String kind, String email, String link) {
        Templates.Rendered content = templates.render(kind, Map.of("email", email, "link", link));
        return new Email(MeetingMails.id(eventId + "|" + kind + "|" + email), kind, email, content, null, Map.of(),
                eventId);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
