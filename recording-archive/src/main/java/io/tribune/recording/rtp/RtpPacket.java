package io.tribune.recording.rtp;

/**
 * One RTP packet of a track as the depacketizers see it, after the {@link ReorderBuffer}: the sequence number and
 * timestamp extended to 64 bits (no wraparound), and whether packets were lost just before it.
 *
 * @param sequence   extended sequence number (the 16-bit one plus 65536 per wrap)
 * @param timestamp  extended RTP timestamp (the 32-bit one plus 2^32 per wrap), in the track's clock rate
 * @param lostBefore whether the buffer gave up waiting for one or more packets right before this one
 */
public record RtpPacket(long sequence, long timestamp, boolean marker, byte[] payload, boolean lostBefore) {
}
