package io.tribune.sfu.signaling;

/** A message the server cannot accept: its {@code code} and message go back to the client as an error. */
public final class SignalingException extends Exception {

    private final String code;

    public SignalingException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
