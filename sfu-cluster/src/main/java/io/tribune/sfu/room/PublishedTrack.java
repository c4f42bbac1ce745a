package io.tribune.sfu.room;

import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.sdp.OfferedMedia;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A track one participant publishes: the section (mid) of its peer connection it arrives on, the SSRCs and
 * payload types the offer announced (or the receive pipeline learned from the mid extension), the mute state,
 * and the {@link DownTrack}s it is forwarded to.
 *
 * <p>Thread-safety: changed by signaling under the room's lock, read by the publisher's receive pipeline thread
 * without it: the fields are volatile and the down tracks a copy-on-write list.
 */
public final class PublishedTrack {

    /** At most one key frame request per this interval: PLI storms make encoders send nothing but key frames. */
    static final long KEY_FRAME_REQUEST_INTERVAL_MILLIS = 300;

    private final String id;
    private final Participant owner;
    private final TrackSource source;
    private final String mid;
    private final List<DownTrack> downTracks = new CopyOnWriteArrayList<>();
    /** The microphone's audio levels for speaker detection; null for other sources. */
    final AudioLevels levels;
    private final AtomicLong lastKeyFrameRequestMillis = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile long ssrc = -1;
    private volatile long rtxSsrc = -1;
    private volatile int payloadType = -1;
    private volatile int rtxPayloadType = -1;
    private volatile boolean muted;
    private volatile boolean announced;

    PublishedTrack(String id, Participant owner, TrackSource source, String mid) {
        this.id = id;
        this.owner = owner;
        this.source = source;
        this.mid = mid;
        this.levels = source == TrackSource.MICROPHONE ? new AudioLevels() : null;
    }

    public String id() {
        return id;
    }

    public Participant owner() {
        return owner;
    }

    public TrackSource source() {
        return source;
    }

    public String kind() {
        return source.kind();
    }

    public String mid() {
        return mid;
    }

    public long ssrc() {
        return ssrc;
    }

    public long rtxSsrc() {
        return rtxSsrc;
    }

    public int payloadType() {
        return payloadType;
    }

    public int rtxPayloadType() {
        return rtxPayloadType;
    }

    public boolean muted() {
        return muted;
    }

    void setMuted(boolean muted) {
        this.muted = muted;
    }

    boolean announced() {
        return announced;
    }

    void setAnnounced() {
        announced = true;
    }

    List<DownTrack> downTracks() {
        return downTracks;
    }

    /** The codec the SFU forwards for this kind: Opus, or VP8 for video. */
    static String codecName(String kind) {
        return kind.equals("audio") ? "opus" : "VP8";
    }

    /** Takes the SSRCs and payload types from the publisher's (re-)offer for this track's mid. */
    void updateFrom(OfferedMedia media) {
        media.codec(codecName(kind())).map(Codec::payloadType).ifPresent(pt -> {
            payloadType = pt;
            rtxPayloadType = media.rtxFor(pt).map(Codec::payloadType).orElse(-1);
        });
        if (!media.rtxSsrcs().isEmpty()) {
            ssrc = media.rtxSsrcs().get(0).media();
            rtxSsrc = media.rtxSsrcs().get(0).rtx();
        } else if (!media.ssrcs().isEmpty()) {
            ssrc = media.ssrcs().get(0);
        }
    }

    /** Learns an SSRC from a packet that named this track's mid (offers without a=ssrc, e.g. simulcast). */
    void learn(long packetSsrc, int packetPayloadType) {
        if (packetPayloadType == rtxPayloadType && rtxPayloadType >= 0) {
            rtxSsrc = packetSsrc;
        } else {
            ssrc = packetSsrc;
        }
    }

    /** Asks the publisher for a key frame (RFC 4585 §6.3.1 PLI), rate limited; any thread. */
    void requestKeyFrame(long nowMillis) {
        if (!kind().equals("video") || ssrc < 0) {
            return;
        }
        long last = lastKeyFrameRequestMillis.get();
        if (nowMillis - last < KEY_FRAME_REQUEST_INTERVAL_MILLIS
                || !lastKeyFrameRequestMillis.compareAndSet(last, nowMillis)) {
            return;
        }
        owner.sendPictureLossIndication(ssrc);
    }

    /** When a key frame was last asked for (ms of the room's clock); for tests. */
    long lastKeyFrameRequestMillis() {
        return lastKeyFrameRequestMillis.get();
    }

    TrackInfo info() {
        return new TrackInfo(id, owner.id(), kind(), source, muted);
    }

    @Override
    public String toString() {
        return id;
    }
}
