package io.tribune.common.kafka;

/**
 * Thrown by an {@link EventHandler} for an event it can never process (an invalid address, an unknown template, a
 * payload missing what the handler needs): the record goes to the dead-letter topic with this message as the
 * reason, without retries, and consumption goes on.
 */
public class PoisonEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
