/**
 * The RTP egress of a room's stage to a transcoder (issue 6, town halls). See {@link
 * io.tribune.sfu.egress.StageEgress} for the pipeline and threading, docs/sfu-signaling.md ("RTP egress") for the
 * control commands and the description the transcoder consumes.
 *
 * <pre>
 *  api-server --PUBLISH tribune:meeting:{id}:egress-control {"action":"start","host","port"}--> EgressControls
 *      -> StageEgresses.start(room, EgressTarget) -> StageEgress (taps each stage track: PublishedTrack.addTap)
 *  publisher's receive pipeline -> room-fan-out -> DownTracks (subscribers' SendLoops)
 *                                              \-> copy -> StageEgress queue -> layer filter -> rewriter
 *                                                  -> header-extension-stripper -> UDP to host:port+2*slot
 *  node timer (500 ms) -> StageEgress.sync -> EgressDescription (streams, caps, SDP, dominant speaker)
 *      -> EgressControls: SET tribune:meeting:{id}:egress, PUBLISH tribune:meeting:{id}:egress-description
 * </pre>
 */
package io.tribune.sfu.egress;
