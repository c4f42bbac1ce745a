package io.tribune.sfu.sdp;

/** An SDP text or offer we cannot accept; the message says which line or rule. */
public final class SdpParseException extends Exception {

    public SdpParseException(String message) {
        super(message);
    }
}
