package io.tribune.platform;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tribune.platform.internal.Ports;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMTP server that accepts every message for every address and keeps it in memory: GreenMail
 * ({@code com.icegreen:greenmail}) in this JVM, the "dev mailbox" of {@code tribune up} and the mail server of the
 * notification worker's integration tests. With a web port it also serves the dev mailbox page: {@code /} lists
 * what was received, newest first, {@code /messages/N} shows message N as sent (RFC 5322 source), and
 * {@code /messages} answers how many there are (plain text): the read API the api-server's {@code /dev/mailbox}
 * uses.
 *
 * <p>Messages do not survive {@link #stop()}: this is a development tool, not a mail store. Nothing is relayed.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} are synchronized; the accessors read volatile fields.
 */
public final class SmtpComponent implements Component {

    public static final String NAME = "smtp";

    private static final Logger LOG = LoggerFactory.getLogger(SmtpComponent.class);

    private final boolean withMailboxPage;
    private volatile int port;
    private volatile int webPort;
    private volatile GreenMail greenMail;
    private volatile HttpServer web;

    /**
     * @param port    the SMTP port, or 0 to pick a free one at the first start and keep it
     * @param webPort the dev mailbox page's port, 0 to pick one, or -1 for no page
     */
    public SmtpComponent(int port, int webPort) {
        this.port = Ports.checkPort(port, NAME);
        this.withMailboxPage = webPort >= 0;
        this.webPort = withMailboxPage ? Ports.checkPort(webPort, NAME + " mailbox") : -1;
    }

    /** SMTP on a free port, no page: what tests use. */
    public static SmtpComponent forTests() {
        return new SmtpComponent(0, -1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() throws Exception {
        if (greenMail != null) {
            return;
        }
        long startNanos = System.nanoTime();
        int bindPort = Ports.freeOrPick(port, NAME);
        GreenMail starting = new GreenMail(new ServerSetup(bindPort, Ports.LOOPBACK.getHostAddress(),
                ServerSetup.PROTOCOL_SMTP));
        port = bindPort;
        try {
            starting.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(NAME + " failed to start on port " + bindPort + ": " + e.getMessage(), e);
        }
        greenMail = starting;
        if (withMailboxPage) {
            int bindWeb = Ports.freeOrPick(webPort, NAME + "-mailbox");
            HttpServer page = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, bindWeb), 16);
            page.createContext("/", this::serve);
            page.start();
            webPort = bindWeb;
            web = page;
        }
        LOG.info("{} ({}) started on {}:{} in {} ms{}", NAME, version(), host(), port,
                (System.nanoTime() - startNanos) / 1_000_000, withMailboxPage ? ", mailbox at " + mailboxUrl() : "");
    }

    @Override
    public synchronized void stop() {
        GreenMail running = greenMail;
        if (running == null) {
            return;
        }
        greenMail = null;
        HttpServer page = web;
        web = null;
        if (page != null) {
            page.stop(0);
        }
        try {
            running.stop();
        } catch (RuntimeException e) {
            LOG.warn("{} did not stop cleanly: {}", NAME, e.toString());
        }
        LOG.info("{} stopped", NAME);
    }

    @Override
    public boolean isRunning() {
        GreenMail running = greenMail;
        return running != null && running.isRunning();
    }

    @Override
    public int port() {
        return port;
    }

    /** Always 127.0.0.1. */
    public String host() {
        return Ports.LOOPBACK.getHostAddress();
    }

    @Override
    public String version() {
        String implementation = GreenMail.class.getPackage().getImplementationVersion();
        return "GreenMail " + (implementation == null ? "2.1" : implementation);
    }

    /** The dev mailbox page, {@code http://127.0.0.1:PORT/}, or null when it has none or before the first start. */
    public String mailboxUrl() {
        return withMailboxPage && webPort > 0 ? "http://" + host() + ":" + webPort + "/" : null;
    }

    /** Every message received since the start, oldest first (one per recipient, as a mailbox would hold it). */
    public List<MimeMessage> receivedMessages() {
        GreenMail running = greenMail;
        return running == null ? List.of() : Arrays.asList(running.getReceivedMessages());
    }

    /** Waits until at least {@code count} messages were received; false on timeout. */
    public boolean awaitMessages(int count, Duration timeout) {
        GreenMail running = greenMail;
        return running != null && running.waitForIncomingEmail(timeout.toMillis(), count);
    }

    /** Forgets every message received so far. */
    public void purge() {
        GreenMail running = greenMail;
        if (running != null) {
            try {
                running.purgeEmailFromAllMailboxes();
            } catch (Exception e) {
                throw new IllegalStateException("cannot purge the dev mailbox", e);
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            List<MimeMessage> messages = receivedMessages();
            if (path.equals("/")) {
                respond(exchange, 200, "text/html; charset=utf-8", index(messages));
                return;
            }
            if (path.equals("/messages")) {
                respond(exchange, 200, "text/plain; charset=utf-8",
                        (messages.size() + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.startsWith("/messages/")) {
                try {
                    int index = Integer.parseInt(path.substring("/messages/".length()));
                    ByteArrayOutputStream source = new ByteArrayOutputStream();
                    messages.get(index).writeTo(source);
                    respond(exchange, 200, "text/plain; charset=utf-8", source.toByteArray());
                    return;
                } catch (NumberFormatException | IndexOutOfBoundsException | MessagingException e) {
                    // fall through to 404
                }
            }
            respond(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] index(List<MimeMessage> messages) {
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>Tribune dev mailbox</title>"
                + "<style>body{font:14px sans-serif;margin:2em}td,th{padding:4px 10px;text-align:left}"
                + "tr:nth-child(even){background:#f3f3f3}</style><h1>Tribune dev mailbox</h1><p>")
                .append(messages.size()).append(" message(s); nothing here is relayed anywhere.</p>"
                        + "<table><tr><th>#</th><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr>");
        for (int i = messages.size() - 1; i >= 0; i--) {
            MimeMessage message = messages.get(i);
            html.append("<tr><td><a href=\"/messages/").append(i).append("\">").append(i).append("</a></td><td>")
                    .append(escape(safe(() -> String.valueOf(orNow(message.getReceivedDate())))))
                    .append("</td><td>").append(escape(safe(() -> addresses(message.getFrom()))))
                    .append("</td><td>").append(escape(safe(() -> addresses(message.getAllRecipients()))))
                    .append("</td><td>").append(escape(safe(message::getSubject))).append("</td></tr>");
        }
        return html.append("</table>").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Date orNow(Date date) {
        return date == null ? new Date() : date;
    }

    private static String addresses(Address[] addresses) {
        return addresses == null ? "" : Arrays.stream(addresses).map(Address::toString)
                .collect(Collectors.joining(", "));
    }

    private interface MessageField {
        String get() throws MessagingException;
    }

    private static String safe(MessageField field) {
        try {
            String value = field.get();
            return value == null ? "" : value;
        } catch (MessagingException | RuntimeException e) {
            return "(unreadable)";
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public String toString() {
        return NAME + "[port=" + port + ", running=" + isRunning() + ", mailbox=" + mailboxUrl() + "]";
    }
}
