package io.tribune.sfu.transport;

/** Why an {@link EndpointTransport} dropped a packet. SRTP failures are also counted by their SRTP status. */
public enum DropReason {
    /** The pipeline fell behind and its bounded queue was full; dropped on the network thread. */
    RECEIVE_QUEUE_FULL,
    /** Not STUN, DTLS, RTP or RTCP by RFC 7983's first-byte ranges. */
    UNKNOWN_DATAGRAM,
    /** SRTP arrived before the DTLS handshake produced keys, beyond the few the pipeline holds for them. */
    NO_SRTP_KEYS,
    /** SRTP or SRTCP failed authentication, replay check or length check. */
    SRTP_REJECTED,
    /** Decrypted RTP whose header is malformed. */
    MALFORMED_RTP,
    /** Decrypted RTCP whose headers are malformed. */
    MALFORMED_RTCP,
    /** The media listener threw; the packet is lost, the pipeline goes on. */
    LISTENER_ERROR,
    /** We were asked to send before SRTP keys existed. */
    SEND_BEFORE_KEYS,
    /** Encryption failed (a malformed outgoing packet). */
    ENCRYPT_FAILED,
    /** ICE could not send (no valid pair, closed). */
    SEND_FAILED
}
