package io.tribune.common.token;

/** A token that must not be accepted; {@link #reason()} is a short machine-readable cause. */
public final class InvalidTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public InvalidTokenException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** {@code malformed}, {@code algorithm}, {@code unknown_key}, {@code signature}, {@code issuer}, {@code audience},
     * {@code expired}, {@code not_yet_valid}, {@code missing_claim}. */
    public String reason() {
        return reason;
    }
}
