/**
 * The stage of an SFU room as the transcoder's input (issue 6): the SFU's RTP egress description, the layout
 * (active speaker, or screen share with the speaker beside it), and the GStreamer input that receives, decodes and
 * composes it for the ladder. See {@link io.tribune.transcoder.stage.RtpStageInput}.
 */
package io.tribune.transcoder.stage;
