/**
 * A load client for SFUs on our own transport code, used by {@code ops/tribune bench sfu} and its smoke test.
 *
 * <pre>
 *   TribuneRoomLoad (signaling WebSocket)  or  JanusRoomLoad (Janus HTTP API, videoroom)
 *     joins N publishers and M subscribers, exchanges LoadSdp offers/answers (a=setup:active)
 *     -> one LoadPeer per participant: own UDP socket
 *          ICE: controlling, aggressive nomination, answers consent checks (StunMessages)
 *          DTLS: dtls.DtlsSrtpClient (Bouncy Castle), then SRTP both ways (jitsi-srtp)
 *   LoadGenerator thread: every publisher's PublishedMedia (audio 50/s, video 30 frames/s) -> LoadPeer.sendRtp
 *   each LoadPeer's receive thread: decrypt, count (RoomLoad.counts: sent, received, rejected)
 * </pre>
 *
 * <p>Threads: one receive thread per peer, one sending thread for all publishers, one keep-alive timer; the signaling
 * clients' own threads. Counters are readable from any thread.
 */
package io.tribune.sfu.load;
