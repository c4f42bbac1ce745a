package io.tribune.sfu.srtp;

import org.jitsi.srtp.SrtpErrorStatus;

/** The outcome of protecting or unprotecting one packet; every value but {@link #OK} means "drop and count". */
public enum SrtpStatus {
    OK,
    /** The authentication tag did not verify (RFC 3711 §3.3 step 5, RFC 7714 §8.2): forged or corrupted. */
    AUTHENTICATION_FAILED,
    /** The index was seen before or is behind the replay window (RFC 3711 §3.3.2). */
    REPLAYED,
    /** Too short for its header and tag, or otherwise not a packet SRTP can process. */
    MALFORMED,
    /** A new SSRC arrived after the per-endpoint limit of crypto contexts was reached. */
    TOO_MANY_SOURCES,
    /** The cipher itself failed; should not happen with valid keys. */
    CRYPTO_ERROR;

    static SrtpStatus of(SrtpErrorStatus status) {
        return switch (status) {
            case OK -> OK;
            case AUTH_FAIL -> AUTHENTICATION_FAILED;
            case REPLAY_FAIL, REPLAY_OLD -> REPLAYED;
            case INVALID_PACKET -> MALFORMED;
            case FAIL -> CRYPTO_ERROR;
        };
    }
}
