package io.tribune.notify.mail;

/**
 * A mail the SMTP server did not accept. {@code permanent}: it never will (a 5xx reply, an invalid or rejected
 * address), so the delivery is recorded as failed and not retried; otherwise (connection refused, timeout, a 4xx
 * reply) it is retried with backoff.
 */
public final class SendFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public SendFailure(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean isPermanent() {
        return permanent;
    }
}
