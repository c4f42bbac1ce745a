/**
 * Rooms, participants and forwarding. A {@link io.tribune.sfu.room.Room} holds participants; each
 * {@link io.tribune.sfu.room.Participant} has one peer connection (one {@code EndpointTransport}) on which it
 * publishes {@link io.tribune.sfu.room.PublishedTrack}s (each with one or three simulcast {@code Layer}s) and
 * receives {@link io.tribune.sfu.room.DownTrack}s.
 *
 * <pre>
 *  publisher's receive pipeline                               subscriber's send pipeline (SendLoop)
 *  rtp-rtcp-demux -rtp-> srtp-decrypt -> rtp-parse            queue drained -> send-demux
 *    -> header-extension-reader (mid, rid, repaired rid,        -media-> simulcast-filter (current layer; the
 *       transport-wide seq, audio level)                                 target's key frame switches; PLI while
 *    -> transport-cc-recorder (feedback to the publisher                 waiting, the old layer still flowing)
 *       every 100 ms: it ramps up to three layers)                 -> stream-rewriter (SSRC, PT, seq, ts, RTX OSN)
 *    -> track-classifier (SSRC, or mid + rid -> layer)            -> vp8-picture-id-rewriter
 *    -> key-frame-detector (VP8, H.264; VP8 layer size)           -> header-extension-stripper -> packet-cacher
 *    -> reception-statistics (layer bitrate; RR each second)      -> sender-reports (SR each second per stream)
 *    -> mute-filter                                               -> transport-cc-tagger (our seq; send history)
 *    -> audio-level-observer (microphones -> AudioLevels)         -> srtp-encrypt -> ice-send
 *    -> room-fan-out ==copy per DownTrack not paused by last-N==> SendLoop queue
 *                 -rtcp-> srtcp-decrypt -> rtcp-parse             -resend-> retransmission-responder -^
 *                         -> rtcp-termination                     -feedback-> bandwidth-feedback: DownlinkControl
 *                         (NACK -> resend, transport-cc/REMB ->       (BandwidthEstimator -> LayerSelector:
 *                          feedback, PLI/FIR -> PLI to the            each DownTrack's target layer, from the
 *                          publisher's layer, SR kept, report         estimate and the subscribe preferences)
 *                          blocks -> RTT)
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
 * <p>Threading: signaling changes rooms under the room's lock; packets never take it. Each pipeline runs on one
 * thread at a time, under its own lock: a receive pipeline on the port's receive thread or the endpoint's thread
 * ({@code ReceiveDispatch} decides from the load), a send pipeline on whichever publisher's receive pipeline fed
 * it last (its {@link io.tribune.sfu.room.SendLoop} is a combining queue). The only queues are the transport's
 * receive queue and each send loop's queue. A subscriber's RTCP arrives on its receive pipeline and travels to its
 * send pipeline through the send queue (resend requests, bandwidth feedback), so the estimator, the caches and the
 * rewriting state are touched by the send pipeline only. Layers' sizes, bitrates and SSRCs are written by the
 * publisher's receive pipeline and read by subscribers' send pipelines through volatile fields.
 */
package io.tribune.sfu.room;
