package io.tribune.recording.rtp;

import java.util.function.Consumer;

/**
 * Rebuilds coded frames from a track's RTP packets, in sequence order. Not thread-safe: one per track, used by the
 * thread that owns the track.
 */
public interface Depacketizer {

    /** Takes the next packet; hands each frame it completes to {@code out}. */
    void push(RtpPacket packet, Consumer<MediaFrame> out);

    /** The track ended: hands over a frame still being assembled if it is complete, else drops it. */
    void flush(Consumer<MediaFrame> out);

    /** Frames dropped so far: incomplete (lost packets), malformed, oversized, or waiting for a key frame. */
    long droppedFrames();

    /** Packets whose payload did not parse (too short, reserved fields), skipped. */
    long corruptPackets();
}
