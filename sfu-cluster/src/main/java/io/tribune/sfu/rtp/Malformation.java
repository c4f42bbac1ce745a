package io.tribune.sfu.rtp;

/**
 * Why a parser rejected a packet. Parsers never throw on network input; they return one of these and the caller
 * drops the packet and counts the reason.
 */
public enum Malformation {
    /** The packet is well formed. */
    NONE,
    /** Shorter than the fixed header its type requires. */
    TOO_SHORT,
    /** The version field is not 2 (RFC 3550 §5.1, §6.4.1). */
    BAD_VERSION,
    /** The CSRC list runs past the end of the packet. */
    CSRC_OVERRUN,
    /** The header extension, or one of its elements (RFC 8285 §4), runs past its end. */
    EXTENSION_OVERRUN,
    /** The padding count is zero or larger than the room left for it (RFC 3550 §5.1). */
    BAD_PADDING,
    /** An RTCP length field does not match the bytes present (RFC 3550 §6.4.1). */
    BAD_LENGTH,
    /** An RTCP packet's body is inconsistent with its type: a report count, FCI or feedback field out of range. */
    BAD_BODY
}
