package io.tribune.notify.mail;

import io.dropwizard.lifecycle.Managed;
import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingDeque;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders {@link Email}s as MIME messages and hands them to the SMTP relay with angus-mail.
 *
 * <p>Message shape: {@code multipart/mixed} holding a {@code multipart/alternative} (plain text, HTML and, for
 * invitations, the {@code text/calendar; method=...} part calendar clients act on, RFC 6047 section 2.4) plus the
 * same calendar as an {@code invite.ics} attachment for clients that only show attachments. The Message-ID is
 * derived from the notification id, so the rare duplicate a crash can cause is recognisable as one.
 *
 * <p>Thread-safe: each send borrows an open SMTP connection from a small pool (opening one when none is idle) and
 * returns it afterwards, so the consumer's handler threads and the scheduler's threads send side by side; a
 * connection the relay closed is dropped and replaced.
 */
public final class Mailer implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

    /**
     * Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader in every MimeBodyPart and MimeMultipart
     * constructor and every encode: on the 200-jar classpath of {@code tribune up} that scan was half of the
     * worker's CPU (JFR, bench notify). Naming the provider in the system property FactoryFinder reads first skips
     * the scan. Set only when nobody chose another provider.
     */
    static {
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    private final SmtpConfiguration smtp;
    private final InternetAddress from;
    private final String messageIdDomain;
    private final Clock clock;
    /** Connections kept open between sends. */
    private static final int MAX_IDLE_CONNECTIONS = 8;

    private final Session session;
    private final LinkedBlockingDeque<Transport> idle = new LinkedBlockingDeque<>();

    /**
     * @param from            the From address, e.g. {@code Tribune <no-reply@tribune.example>}
     * @param messageIdDomain the right-hand side of Message-IDs (the public host name)
     */
    public Mailer(SmtpConfiguration smtp, String from, String messageIdDomain, Clock clock) {
        this.smtp = Objects.requireNonNull(smtp, "smtp");
        try {
            this.from = new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("invalid From address '" + from + "': " + e.getMessage(), e);
        }
        this.messageIdDomain = Objects.requireNonNull(messageIdDomain, "messageIdDomain");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.session = Session.getInstance(properties(smtp));
    }

    public InternetAddress from() {
        return from;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        for (Transport transport = idle.poll(); transport != null; transport = idle.poll()) {
            close(transport);
        }
    }

    /**
     * The message as RFC 5322 bytes.
     *
     * @throws SendFailure (permanent) when the recipient is not a valid address
     */
    public byte[] render(Email email) throws SendFailure {
        try {
            MimeMessage message = new FixedIdMessage(session, "<" + email.notificationId() + "@" + messageIdDomain
                    + ">");
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, recipient(email.to()));
            message.setSubject(email.content().subject(), "UTF-8");
            message.setSentDate(Date.from(clock.instant()));
            message.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no auto-replies to us
            for (Map.Entry<String, String> header : email.headers().entrySet()) {
                message.setHeader(header.getKey(), header.getValue());
            }

            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.content().text(), "UTF-8", "plain");
            alternative.addBodyPart(text);
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.content().html(), "UTF-8", "html");
            alternative.addBodyPart(html);

            if (email.calendar() == null) {
                message.setContent(alternative);
            } else {
                String type = "text/calendar; charset=UTF-8; method=" + email.calendar().method();
                MimeBodyPart calendar = new MimeBodyPart();
                calendar.setDataHandler(new DataHandler(new ByteArrayDataSource(email.calendar().ics(), type)));
                calendar.setHeader("Content-Type", type);
                alternative.addBodyPart(calendar);

                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart body = new MimeBodyPart();
                body.setContent(alternative);
                mixed.addBodyPart(body);
                MimeBodyPart attachment = new MimeBodyPart();
                attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(email.calendar().ics(),
                        "application/ics")));
                attachment.setFileName(email.calendar().method().equals("CANCEL") ? "cancel.ics" : "invite.ics");
                attachment.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(attachment);
                message.setContent(mixed);
            }
            message.saveChanges();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            message.writeTo(bytes);
            return bytes.toByteArray();
        } catch (AddressException e) {
            throw new SendFailure("invalid address '" + email.to() + "': " + e.getMessage(), true, e);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot render mail " + email.notificationId(), e);
        }
    }

    /** Sends a rendered message to the relay; returns once the relay accepted it (SMTP 250 after DATA). */
    public void send(byte[] rendered) throws SendFailure {
        MimeMessage message;
        try {
            message = new MimeMessage(session, new ByteArrayInputStream(rendered));
        } catch (MessagingException e) {
            throw new SendFailure("stored message does not parse: " + e.getMessage(), true, e);
        }
        try {
            sendOnce(message, idle.poll());
        } catch (MessagingException first) {
            if (isPermanent(first)) {
                throw new SendFailure(describe(first), true, first);
            }
            // The relay may have closed an idle connection: one fresh attempt before reporting a failure.
            try {
                sendOnce(message, null);
            } catch (MessagingException second) {
                throw new SendFailure(describe(second), isPermanent(second), second);
            }
        }
    }

    /** Connects to the relay (for the health check); throws when it cannot. */
    public void checkConnection() throws MessagingException {
        Transport transport = connected(idle.poll());
        release(transport);
    }

    /** Sends on {@code transport} (or a new connection); the connection goes back to the pool only on success. */
    private void sendOnce(MimeMessage message, Transport transport) throws MessagingException {
        Transport connected = null;
        try {
            connected = connected(transport);
            Address[] recipients = message.getAllRecipients();
            connected.sendMessage(message, recipients);
            release(connected);
        } catch (MessagingException | RuntimeException e) {
            close(connected != null ? connected : transport);
            throw e;
        }
    }

    private Transport connected(Transport transport) throws MessagingException {
        if (transport != null && transport.isConnected()) {
            return transport;
        }
        close(transport);
        Transport fresh = session.getTransport(smtp.getSecurity().equals("ssl") ? "smtps" : "smtp");
        if (smtp.getUsername().isEmpty()) {
            fresh.connect();
        } else {
            fresh.connect(smtp.getHost(), smtp.getPort(), smtp.getUsername(), smtp.getPassword());
        }
        return fresh;
    }

    private void release(Transport transport) {
        if (idle.size() >= MAX_IDLE_CONNECTIONS || !idle.offerFirst(transport)) {
            close(transport);
        }
    }

    private static void close(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                LOG.debug("closing an SMTP connection: {}", e.toString());
            }
        }
    }

    private static InternetAddress recipient(String to) throws AddressException {
        InternetAddress address = new InternetAddress(to, true);
        address.validate();
        if (address.getAddress().indexOf('@') < 1) {
            throw new AddressException("no domain", to);
        }
        return address;
    }

    /**
     * 5xx replies and refused addresses are permanent (RFC 5321 section 4.2.1); connection problems, timeouts,
     * 4xx replies and authentication failures (a configuration problem an operator fixes) are worth retrying.
     */
    static boolean isPermanent(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return false;
        }
        if (e instanceof SMTPAddressFailedException failed) {
            return failed.getReturnCode() >= 500;
        }
        if (e instanceof SMTPSendFailedException failed) {
            return failed.getReturnCode() >= 500;
        }
        if (e instanceof SendFailedException failed) {
            Exception next = failed.getNextException();
            if (next instanceof MessagingException nested && nested != e) {
                return isPermanent(nested);
            }
            return failed.getInvalidAddresses() != null && failed.getInvalidAddresses().length > 0
                    && (failed.getValidSentAddresses() == null || failed.getValidSentAddresses().length == 0);
        }
        return false;
    }

    private static String describe(MessagingException e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        if (e.getCause() != null && e.getCause() != e) {
            text.append(" (").append(e.getCause()).append(')');
        }
        return text.toString();
    }

    private static Properties properties(SmtpConfiguration smtp) {
        Properties p = new Properties();
        String protocol = smtp.getSecurity().equals("ssl") ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", smtp.getHost());
        p.put("mail." + protocol + ".port", Integer.toString(smtp.getPort()));
        p.put("mail." + protocol + ".connectiontimeout", Long.toString(smtp.getConnectTimeout().toMilliseconds()));
        p.put("mail." + protocol + ".timeout", Long.toString(smtp.getTimeout().toMilliseconds()));
        p.put("mail." + protocol + ".writetimeout", Long.toString(smtp.getTimeout().toMilliseconds()));
        if (!smtp.getUsername().isEmpty()) {
            p.put("mail." + protocol + ".auth", "true");
        }
        if (smtp.getSecurity().equals("starttls")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (!smtp.getSecurity().equals("plain")) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        return p;
    }

    /** A message whose Message-ID is set by us, not regenerated by {@code saveChanges()}. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
