package io.tribune.sfu.dtls;

import io.tribune.sfu.srtp.SrtpKeys;

/**
 * What a {@link DtlsSession} reports. Called on the session's handshake thread; implementations must not block
 * for long and must be thread-safe with respect to the rest of the endpoint.
 */
public interface DtlsListener {

    /** The handshake completed and the peer's certificate matched its SDP fingerprint. */
    void onHandshakeComplete(SrtpKeys keys);

    /** The handshake failed (timeout, bad fingerprint, no common profile); the session is over. */
    void onHandshakeFailed(Exception cause);

    /** The peer closed the association (close_notify or a fatal alert) after a completed handshake. */
    void onClosed();
}
