package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.PacketInfo;

/**
 * One more receiver of a published track beside its {@link DownTrack}s: the room's RTP egress to a transcoder
 * ({@code io.tribune.sfu.egress}). The publisher's fan-out shows it every packet that passed the mute filter
 * (decrypted, every simulcast layer and RTX, the route the {@link PublishedTrack}) before the down tracks get them;
 * the packet stays the fan-out's: a tap keeps only its own {@linkplain PacketInfo#copy() copy}, so it copies only
 * what it may send (not RTX or padding, for instance).
 *
 * <p>Implementations must be thread-safe and must not block: {@link #offer} runs on the publisher's receive
 * pipeline thread, which many taps and subscribers share.
 */
public interface StageTap {

    /** Looks at a packet of {@code track}, copying it if it keeps it; false when it wanted it but could not take it. */
    boolean offer(PublishedTrack track, PacketInfo packet);
}
