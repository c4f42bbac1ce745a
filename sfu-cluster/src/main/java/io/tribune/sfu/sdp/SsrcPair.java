package io.tribune.sfu.sdp;

/**
 * A media SSRC and its RTX SSRC, from {@code a=ssrc-group:FID} (RFC 5576 §4.2, RFC 4588 §8.7).
 *
 * @param media the primary SSRC (unsigned 32-bit)
 * @param rtx the retransmission SSRC (unsigned 32-bit)
 */
public record SsrcPair(long media, long rtx) {
}
