/**
 * The signaling WebSocket (docs/sfu-signaling.md): {@link io.tribune.sfu.signaling.SignalingCodec} reads client
 * messages and writes server messages, {@link io.tribune.sfu.signaling.JoinTokens} verifies join tokens once each,
 * and {@link io.tribune.sfu.signaling.SignalingSocket} is one connection.
 *
 * <pre>
 *  Jetty thread per message                        any thread
 *  SignalingSocket.onWebSocketText                 Room -> ParticipantEvents (SignalingSocket) -> send
 *    -> MessageRateLimiter -> SignalingCodec.parse
 *    -> JoinTokens / Rooms / Room -> reply
 * </pre>
 */
package io.tribune.sfu.signaling;
