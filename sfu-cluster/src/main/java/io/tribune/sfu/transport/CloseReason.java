package io.tribune.sfu.transport;

/** Why an {@link EndpointTransport} closed. */
public enum CloseReason {
    /** {@link EndpointTransport#close()} was called. */
    LOCAL,
    /** ICE found no working candidate pair. */
    ICE_FAILED,
    /** The peer stopped answering consent checks (RFC 7675): it left or its network broke. */
    CONSENT_EXPIRED,
    /** The DTLS handshake failed: timeout, wrong fingerprint, no common SRTP profile. */
    DTLS_FAILED,
    /** The peer closed DTLS (close_notify). */
    DTLS_CLOSED
}
