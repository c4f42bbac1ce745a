/**
 * DTLS-SRTP (RFC 5764) with Bouncy Castle: we are always the DTLS server ({@code a=setup:passive}).
 *
 * <pre>
 *  network thread --(first byte 20-63)--> DtlsSession.receive --queue--> handshake thread
 *                                                                         DTLSServerProtocol.accept
 *                                                                           DtlsSrtpServer: ECDSA cert,
 *                                                                           client cert vs SDP fingerprint,
 *                                                                           use_srtp, keying material export
 *                                                                         DtlsListener.onHandshakeComplete(SrtpKeys)
 *  handshake thread --records--> DatagramSender (ICE component)
 * </pre>
 *
 * <p>{@link io.tribune.sfu.dtls.DtlsCertificate} is generated once per node; its
 * {@link io.tribune.sfu.dtls.Fingerprint} goes into every answer.
 */
package io.tribune.sfu.dtls;
