package io.tribune.events;

/** A record that is not a valid event: consumers count it and send it to their dead-letter topic. */
public final class EventFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventFormatException(String message) {
        super(message);
    }

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
