/**
 * Rooms, participants and forwarding. A {@link io.tribune.sfu.room.Room} holds participants; each
 * {@link io.tribune.sfu.room.Participant} has one peer connection (one {@code EndpointTransport}) on which it
 * publishes {@link io.tribune.sfu.room.PublishedTrack}s and receives {@link io.tribune.sfu.room.DownTrack}s.
 *
 * <pre>
 *  publisher's pipeline thread                                      subscriber's send thread (SendLoop)
 *  rtp-rtcp-demux -rtp-> srtp-decrypt -> rtp-parse                  queue.take()
 *    -> header-extension-reader (mid, rid, audio level)              -> stream-rewriter (SSRC, PT, seq, ts, RTX OSN)
 *    -> track-classifier (SSRC or mid -> PublishedTrack)             -> header-extension-stripper
 *    -> mute-filter                                                  -> srtp-encrypt -> ice-send
 *    -> room-fan-out ==copy per DownTrack==> subscriber's SendLoop queue
 *                 -rtcp-> srtcp-decrypt -> rtcp-parse -> rtcp-termination
 *                         (NACK translated, PLI/FIR -> rate-limited PLI to the publisher)
 * </pre>
 *
 * <p>Threading: signaling changes rooms under the room's lock; packets never take it. Each pipeline belongs to one
 * thread: the endpoint's receive thread or its send loop's thread; the only queues are the transport's receive
 * queue and each send loop's queue.
 */
package io.tribune.sfu.room;
