package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.sdp.CodecChoice;
import io.tribune.sfu.sdp.OfferedMedia;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A track one participant publishes: the section (mid) of its peer connection it arrives on, the codec and
 * payload types of the offer, its {@link Layer}s (three simulcast streams, or one) with the SSRCs the offer
 * announced or the receive pipeline learned from the mid and rid extensions, the mute state, and the
 * {@link DownTrack}s it is forwarded to.
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
    private volatile List<Layer> layers = List.of(new Layer(0, null));
    private volatile Codec codec;
    private volatile int payloadType = -1;
    private volatile int rtxPayloadType = -1;
    private volatile boolean muted;
    private volatile boolean announced;
    /** Egress taps (copy-on-write: the fan-out reads the array without a lock). */
    private volatile StageTap[] taps = new StageTap[0];

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

    /** The lowest layer's media SSRC, or -1 while unknown. */
    public long ssrc() {
        return layers.get(0).ssrc();
    }

    public int payloadType() {
        return payloadType;
    }

    public int rtxPayloadType() {
        return rtxPayloadType;
    }

    /** The codec the publisher sends, as its offer named it; null before the first offer. */
    public Codec codec() {
        return codec;
    }

    /** Whether the codec is H.264 (else VP8 for video). */
    boolean isH264() {
        Codec current = codec;
        return current != null && current.is("H264");
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

    StageTap[] taps() {
        return taps;
    }

    /** Adds an egress tap (idempotent); any thread. */
    public synchronized void addTap(StageTap tap) {
        if (!List.of(taps).contains(tap)) {
            StageTap[] more = Arrays.copyOf(taps, taps.length + 1);
            more[taps.length] = tap;
            taps = more;
        }
    }

    /** Removes an egress tap; any thread. */
    public synchronized void removeTap(StageTap tap) {
        taps = Arrays.stream(taps).filter(t -> t != tap).toArray(StageTap[]::new);
    }

    /** The highest layer that sent media in the last {@link Layer#ACTIVE_NANOS}, or -1; any thread. */
    public int highestActiveLayer(long nowNanos) {
        List<Layer> current = layers;
        for (int i = current.size() - 1; i >= 0; i--) {
            if (current.get(i).isActive(nowNanos)) {
                return i;
            }
        }
        return -1;
    }

    /** The layers, lowest first; one without simulcast. */
    List<Layer> layers() {
        return layers;
    }

    /** Whether an SSRC or payload type marks a retransmission (RFC 4588) rather than media. */
    public boolean isRetransmission(long ssrc, int packetPayloadType) {
        if (rtxPayloadType >= 0 && packetPayloadType == rtxPayloadType) {
            return true;
        }
        for (Layer layer : layers) {
            if (layer.rtxSsrc() == ssrc) {
                return true;
            }
        }
        return false;
    }

    /** The index of the layer with this media or RTX SSRC, or -1. */
    int layerOf(long ssrc) {
        for (Layer layer : layers) {
            if (layer.ssrc() == ssrc || layer.rtxSsrc() == ssrc) {
                return layer.index;
            }
        }
        return -1;
    }

    /** Every SSRC known for this track, for the SSRC index. */
    List<Long> knownSsrcs() {
        List<Long> out = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer.ssrc() >= 0) {
                out.add(layer.ssrc());
            }
            if (layer.rtxSsrc() >= 0) {
                out.add(layer.rtxSsrc());
            }
        }
        return out;
    }

    /**
     * Takes the codec, payload types, simulcast streams and SSRCs from the publisher's (re-)offer for this mid.
     * Layers keep their learned SSRCs while the offer lists the same rids. Under the room's lock.
     */
    void updateFrom(OfferedMedia media) {
        CodecChoice.forPublishing(media).ifPresent(chosen -> {
            codec = chosen;
            payloadType = chosen.payloadType();
            rtxPayloadType = media.rtxFor(chosen.payloadType()).map(Codec::payloadType).orElse(-1);
        });
        List<String> rids = media.sendRids();
        List<Layer> current = layers;
        if (!rids.equals(current.stream().map(l -> l.rid).filter(r -> r != null).toList())) {
            List<Layer> fresh = new ArrayList<>();
            if (rids.isEmpty()) {
                fresh.add(new Layer(0, null));
            }
            for (int i = 0; i < rids.size(); i++) {
                fresh.add(new Layer(i, rids.get(i)));
            }
            layers = List.copyOf(fresh);
        }
        if (media.sendRids().isEmpty()) {
            Layer only = layers.get(0);
            if (!media.rtxSsrcs().isEmpty()) {
                only.setSsrc(media.rtxSsrcs().get(0).media());
                only.setRtxSsrc(media.rtxSsrcs().get(0).rtx());
            } else if (!media.ssrcs().isEmpty()) {
                only.setSsrc(media.ssrcs().get(0));
            }
        }
    }

    /**
     * Receive pipeline: learns the SSRC of a packet that named this track's mid (offers without a=ssrc, such as
     * simulcast), by its rid or, for RTX, its repaired rid (RFC 8852).
     *
     * @return the packet's layer, or -1 when it cannot be placed (a simulcast packet without a rid)
     */
    int learn(PacketInfo packet) {
        List<Layer> current = layers;
        boolean rtx = rtxPayloadType >= 0 && packet.payloadType() == rtxPayloadType;
        if (current.size() == 1 && current.get(0).rid == null) {
            Layer only = current.get(0);
            if (rtx) {
                only.setRtxSsrc(packet.ssrc());
            } else {
                only.setSsrc(packet.ssrc());
            }
            return 0;
        }
        String rid = rtx ? packet.repairedRid() : packet.rid();
        if (rid == null && rtx) {
            rid = packet.rid();
        }
        for (Layer layer : current) {
            if (layer.rid.equals(rid)) {
                if (rtx) {
                    layer.setRtxSsrc(packet.ssrc());
                } else {
                    layer.setSsrc(packet.ssrc());
                }
                return layer.index;
            }
        }
        return -1;
    }

    /** Asks the publisher for a key frame on every layer (RFC 4585 §6.3.1 PLI), rate limited; any thread. */
    void requestKeyFrame(long nowMillis) {
        for (Layer layer : layers) {
            requestKeyFrame(layer.index, nowMillis);
        }
    }

    /** Asks for a key frame on one layer, at most one per {@link #KEY_FRAME_REQUEST_INTERVAL_MILLIS}; any thread. */
    public void requestKeyFrame(int layerIndex, long nowMillis) {
        List<Layer> current = layers;
        if (!kind().equals("video") || layerIndex < 0 || layerIndex >= current.size()) {
            return;
        }
        Layer layer = current.get(layerIndex);
        if (layer.ssrc() >= 0 && layer.mayRequestKeyFrame(nowMillis, KEY_FRAME_REQUEST_INTERVAL_MILLIS)) {
            owner.sendPictureLossIndication(layer.ssrc());
        }
    }

    /** When a key frame was last asked for on any layer (ms of the room's clock); for tests. */
    long lastKeyFrameRequestMillis() {
        long latest = Long.MIN_VALUE / 2;
        for (Layer layer : layers) {
            latest = Math.max(latest, layer.lastKeyFrameRequestMillis());
        }
        return latest;
    }

    TrackInfo info() {
        return new TrackInfo(id, owner.id(), kind(), source, muted);
    }

    @Override
    public String toString() {
        return id;
    }
}
