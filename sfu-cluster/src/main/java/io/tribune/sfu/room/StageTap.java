package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.PacketInfo;

/**
 * One more receiver of a published track beside its {@link DownTrack}s: the room's RTP egress to a transcoder
 * ({@code io.tribune.sfu.egress}). The publisher's fan-out hands it a {@linkplain PacketInfo#copy() copy} of every
 * packet that passed the mute filter (decrypted, every simulcast layer and RTX, the route still the
 * {@link PublishedTrack}); the tap owns the copy.
 *
 * <p>Implementations must be thread-safe and must not block: {@link #offer} runs on the publisher's receive
 * pipeline thread, which many taps and subscribers share.
 */
public interface StageTap {

    /** Takes a packet of {@code track}; false when it could not (full queue, closed), which counts a drop. */
    boolean offer(PublishedTrack track, PacketInfo packet);
}
