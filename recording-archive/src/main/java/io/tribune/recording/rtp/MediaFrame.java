package io.tribune.recording.rtp;

/**
 * One complete coded frame rebuilt from RTP: a VP8 frame, an H.264 access unit (4-byte length-prefixed NAL units,
 * AVCC style) or an Opus packet.
 *
 * @param timestamp extended RTP timestamp of the frame, in the track's clock rate
 * @param keyframe  whether a decoder can start here (VP8 key frame, H.264 IDR; every Opus packet)
 */
public record MediaFrame(long timestamp, boolean keyframe, byte[] data) {
}
