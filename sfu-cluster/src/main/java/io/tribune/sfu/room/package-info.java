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
 *    -> audio-level-observer (microphones: level -> AudioLevels)
 *    -> room-fan-out ==copy per DownTrack not paused by last-N==> subscriber's SendLoop queue
 *                 -rtcp-> srtcp-decrypt -> rtcp-parse -> rtcp-termination
 *                         (NACK translated, PLI/FIR -> rate-limited PLI to the publisher)
 *
 *  node timer, every 100 ms, per room (under the room's lock):
 *    AudioLevels.drain (each unmuted microphone) -> DominantSpeakerDetector.tick
 *      -> new dominant speaker: active_speaker to everyone, to the front of the last-N order
 *      -> LastN per subscriber: DownTrack paused / resumed (track_paused / track_resumed; resume = resync + PLI)
 *      -> every 300 ms, if changed: speaking (who talks now, with levels)
 * </pre>
 *
 * <p>{@link io.tribune.sfu.room.RoomStats} sums a room's endpoints, streams, traffic, NACKs, PLIs, loss and RTT for
 * metrics and the node registry.
 *
 * <p>Threading: signaling changes rooms under the room's lock; packets never take it. Each pipeline belongs to one
 * thread: the endpoint's receive thread or its send loop's thread; the only queues are the transport's receive
 * queue and each send loop's queue.
 */
package io.tribune.sfu.room;
