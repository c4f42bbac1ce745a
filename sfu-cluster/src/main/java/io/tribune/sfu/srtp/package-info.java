/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) through jitsi-srtp, keyed from DTLS-SRTP (RFC 5764).
 *
 * <pre>
 *  DTLS handshake -> keying material -> SrtpKeys.fromKeyingMaterial (split by role)
 *                                          |                 |
 *                                     SrtpReceiver       SrtpSender
 *                      SRTP/SRTCP in -> unprotect         protect -> SRTP/SRTCP out
 *                                     (replay window,   (appends tag and SRTCP index)
 *                                      per-SSRC contexts, capped)
 * </pre>
 *
 * <p>{@link io.tribune.sfu.srtp.SrtpCrypto#initialize()} must run once at startup, off the packet threads. Every
 * outcome is an {@link io.tribune.sfu.srtp.SrtpStatus} counted in {@link io.tribune.sfu.srtp.SrtpCounters};
 * nothing here throws on network input.
 */
package io.tribune.sfu.srtp;
