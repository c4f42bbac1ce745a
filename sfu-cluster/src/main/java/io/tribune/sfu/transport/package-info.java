/**
 * One endpoint's secure media transport: {@link io.tribune.sfu.transport.EndpointTransport} glues ICE
 * ({@code ice}), DTLS-SRTP ({@code dtls}) and SRTP ({@code srtp}) and hands decrypted packets to a
 * {@link io.tribune.sfu.transport.MediaListener} on the endpoint's pipeline thread; counters say what came in,
 * what went out and what was dropped, by {@link io.tribune.sfu.transport.DropReason}.
 *
 * <p>This is the edge of the future media pipeline: the receive pipeline's nodes (duplicate termination, RTX,
 * audio level, ...) will hang off {@code onRtp}/{@code onRtcp}, and the send pipeline ends in
 * {@code sendRtp}/{@code sendRtcp}.
 */
package io.tribune.sfu.transport;
