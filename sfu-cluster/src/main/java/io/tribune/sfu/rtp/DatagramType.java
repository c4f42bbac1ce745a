package io.tribune.sfu.rtp;

/**
 * What a datagram arriving on the shared media port is, decided from its first bytes as RFC 7983 §7 prescribes.
 *
 * <p>Stateless and thread-safe: {@link #of} only reads the first two bytes.
 */
public enum DatagramType {
    /** First byte 0–3 (RFC 7983 §7): a STUN message, consumed by ICE. */
    STUN,
    /** First byte 20–63: a DTLS record. */
    DTLS,
    /** First byte 128–191 and second byte outside 192–223: an (S)RTP packet. */
    RTP,
    /** First byte 128–191 and second byte 192–223: an (S)RTCP packet multiplexed per RFC 5761 §4. */
    RTCP,
    /** Anything else (ZRTP 16–19, TURN channels 64–79, garbage): dropped and counted by the caller. */
    UNKNOWN;

    /**
     * Classifies a datagram without parsing it.
     *
     * @param buf the datagram's buffer
     * @param off where it starts
     * @param len its length in bytes
     * @return its type; {@link #UNKNOWN} for an empty datagram
     */
    public static DatagramType of(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int first = buf[off] & 0xff;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (len < 2) {
                return UNKNOWN;
            }
            // RFC 5761 §4: RTCP packet types 192-223 never collide with the RTP payload types used with
            // rtcp-mux (the marker bit plus PT), so the second byte alone tells RTCP from RTP.
            int second = buf[off + 1] & 0xff;
            return second >= 192 && second <= 223 ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
