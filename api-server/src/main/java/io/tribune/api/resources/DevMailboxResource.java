package io.tribune.api.resources;

import io.tribune.api.errors.ApiException;
import io.tribune.api.notify.DevMailbox;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;

/**
 * {@code /dev/mailbox} (dev mode only: registered when {@code notifications.devMailboxUrl} is set, so 404
 * otherwise): every mail the embedded SMTP server received, newest first, with subject and recipients, the HTML
 * body in a sandboxed iframe (no scripts, no same-origin: a mail cannot act as the app), and the ICS attachment
 * to download. No login: it shows only what the local dev SMTP server holds, and exists only on embedded
 * defaults. Thread-safe.
 */
@Path("/dev/mailbox")
public final class DevMailboxResource {

    private static final int SHOWN = 50;
    /** Mail HTML is shown, never run: no scripts, no fetches, inline styles and data: images only. */
    private static final String MAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "sandbox; frame-ancestors 'self'";
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; "
            + "frame-ancestors 'none'";

    /** Set on the response: these pages answer whatever a browser or a client accepts. */
    private static final String HTML = "text/html; charset=utf-8";

    private final DevMailbox mailbox;

    public DevMailboxResource(DevMailbox mailbox) {
        this.mailbox = mailbox;
    }

    @GET
    @Produces(MediaType.WILDCARD)
    public Response page() {
        List<DevMailbox.Mail> mails;
        int count;
        try {
            count = mailbox.count();
            mails = mailbox.newest(SHOWN);
        } catch (IOException e) {
            throw unavailable(e);
        }
        StringBuilder html = new StringBuilder("<!doctype html><html lang=en><meta charset=utf-8>"
                + "<title>Tribune dev mailbox</title><style>body{font:14px system-ui,sans-serif;margin:2em;"
                + "max-width:70em}article{border:1px solid #ccd;border-radius:6px;margin:1em 0;padding:.5em 1em}"
                + "h2{font-size:16px;margin:.3em 0}dl{display:grid;grid-template-columns:6em 1fr;margin:0}"
                + "dt{color:#556}dd{margin:0}iframe{width:100%;height:22em;border:1px solid #dde;background:#fff}"
                + "</style><h1>Tribune dev mailbox</h1><p id=count>")
                .append(count).append(" message(s) received by the embedded SMTP server, newest first")
                .append(count > SHOWN ? " (the newest " + SHOWN + " shown)" : "")
                .append(". Nothing here was relayed anywhere.</p>");
        for (DevMailbox.Mail mail : mails) {
            html.append("<article class=mail data-index=").append(mail.index()).append("><h2>")
                    .append(escape(mail.subject())).append("</h2><dl><dt>To</dt><dd class=to>")
                    .append(escape(mail.to())).append("</dd><dt>From</dt><dd>").append(escape(mail.from()))
                    .append("</dd><dt>Sent</dt><dd>").append(mail.received() == null ? ""
                            : escape(mail.received().toInstant().toString())).append("</dd></dl>");
            if (mail.calendar() != null) {
                html.append("<p><a class=ics download=\"").append(escape(mail.calendarName()))
                        .append("\" href=\"/dev/mailbox/messages/").append(mail.index()).append("/ics\">Download ")
                        .append(escape(mail.calendarName())).append("</a></p>");
            }
            if (mail.html() != null || mail.text() != null) {
                html.append("<iframe sandbox title=\"").append(escape(mail.subject()))
                        .append("\" src=\"/dev/mailbox/messages/").append(mail.index()).append("/body\"></iframe>");
            }
            html.append("</article>");
        }
        return Response.ok(html.toString(), HTML).header("Content-Security-Policy", PAGE_POLICY)
                .header("Cache-Control", "no-store").build();
    }

    /** The mail's HTML (or its text, preformatted), for the sandboxed iframe. */
    @GET
    @Path("/messages/{index}/body")
    @Produces(MediaType.WILDCARD)
    public Response body(@PathParam("index") String index) {
        DevMailbox.Mail mail = find(index);
        String html = mail.html() != null ? mail.html() : "<!doctype html><meta charset=utf-8><pre>"
                + escape(mail.text() == null ? "" : mail.text()) + "</pre>";
        return Response.ok(html, HTML).header("Content-Security-Policy", MAIL_POLICY)
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/messages/{index}/ics")
    @Produces(MediaType.WILDCARD)
    public Response calendar(@PathParam("index") String index) {
        DevMailbox.Mail mail = find(index);
        if (mail.calendar() == null) {
            throw new ApiException(404, "no_calendar", "Message " + index + " has no calendar file");
        }
        String name = mail.calendarName().replaceAll("[^A-Za-z0-9._-]", "_");
        return Response.ok(mail.calendar(), "text/calendar; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private DevMailbox.Mail find(String index) {
        int number;
        try {
            number = Integer.parseInt(index);
        } catch (NumberFormatException e) {
            throw new ApiException(404, "message_not_found", "No message " + index);
        }
        try {
            return mailbox.find(number).orElseThrow(() -> new ApiException(404, "message_not_found",
                    "No message " + index));
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private static ApiException unavailable(IOException e) {
        return new ApiException(503, "mailbox_unavailable", "The embedded SMTP server cannot be read: "
                + e.getMessage());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
