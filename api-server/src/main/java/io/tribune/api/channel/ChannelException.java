package io.tribune.api.channel;

/** A request on the channel that cannot be done: answered with an {@code error} message to that client only. */
final class ChannelException extends Exception {

    private final String code;

    ChannelException(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
