package io.tribune.sfu.room;

import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.sdp.CodecChoice;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.sdp.SendStream;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One published track as one subscriber receives it: the section (mid) of the subscriber's peer connection, the
 * SFU's own SSRCs for it, the subscriber's payload types, and the rewriting state that keeps sequence numbers and
 * timestamps continuous when packets are held back (mute) or the source changes.
 *
 * <p>Thread-safety: the rewriting state belongs to the subscriber's send pipeline ({@link StreamRewriter});
 * {@link #sequenceOffset()} is published for the subscriber's receive thread (NACK translation); the rest is set
 * under the room's lock and read through volatile fields.
 */
public final class DownTrack {

    private final Participant subscriber;
    private final PublishedTrack track;
    private final String mid;
    private final long ssrc;
    private final long rtxSsrc;
    private volatile Codec codec;
    private volatile int payloadType = -1;
    private volatile int rtxPayloadType = -1;
    private volatile boolean resync;
    private volatile int sequenceOffset;
    private volatile Preference preference = Preference.NONE;
    private volatile int targetLayer = -1;
    private volatile int currentLayer = -1;
    /** Not forwarded (last-N); set under the room's lock, read by the publisher's fan-out. */
    private volatile boolean paused;
    /** From the subscriber's latest report block on this stream, for metrics; -1 until one came. */
    private volatile int fractionLost = -1;
    private volatile double rttMillis = -1;

    // Owned by the subscriber's send pipeline (the cache is created here, then handed over by the queue).
    final PacketCache cache;
    boolean started;
    long sourceSsrc = -1;
    int lastSequence;
    long timestampOffset;
    long lastTimestamp;
    long lastSentNanos;
    int rtxSequence;
    /** Publisher sequence numbers the SFU asked the publisher to retransmit for this subscriber (send pipeline). */
    final Set<Integer> requestedFromPublisher = new LinkedHashSet<>();
    // VP8 picture ID and TL0PICIDX continuity across layer switches (send pipeline).
    long vp8SourceSsrc = -1;
    boolean vp8Started;
    int pictureIdOffset;
    int tl0PicIdxOffset;
    int lastPictureId;
    int lastTl0PicIdx;
    // Sender reports (send pipeline).
    long packetsSent;
    long octetsSent;
    long lastSenderReportNanos;

    /**
     * What the subscriber asked for with {@code subscribe}: the largest size it wants and the highest layer.
     *
     * @param maxWidth pixels, or {@link Integer#MAX_VALUE}
     * @param maxHeight pixels, or {@link Integer#MAX_VALUE}
     * @param maxLayer 0 (low), 1 (medium), 2 (high)
     */
    record Preference(int maxWidth, int maxHeight, int maxLayer) {
        static final Preference NONE = new Preference(Integer.MAX_VALUE, Integer.MAX_VALUE, 2);

        /** From the stored {@code subscribe} fields: {@code max_width}, {@code max_height}, {@code layer}. */
        static Preference from(Map<String, Object> stored) {
            if (stored == null) {
                return NONE;
            }
            int layer = switch (String.valueOf(stored.getOrDefault("layer", "high"))) {
                case "low" -> 0;
                case "medium" -> 1;
                default -> 2;
            };
            return new Preference(dimension(stored.get("max_width")), dimension(stored.get("max_height")), layer);
        }

        private static int dimension(Object value) {
            return value instanceof Number n && n.intValue() > 0 ? n.intValue() : Integer.MAX_VALUE;
        }
    }

    DownTrack(Participant subscriber, PublishedTrack track, String mid, long ssrc, long rtxSsrc) {
        this.subscriber = subscriber;
        this.track = track;
        this.mid = mid;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.cache = track.kind().equals("video") ? new PacketCache() : null;
    }

    public Participant subscriber() {
        return subscriber;
    }

    public PublishedTrack track() {
        return track;
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

    /**
     * Takes the subscriber's payload types from its (re-)offer for this mid: the format matching what the publisher
     * sends ({@link CodecChoice#matching}); none when the subscriber cannot receive it.
     */
    void updateFrom(OfferedMedia media) {
        Codec published = track.codec();
        if (published == null) {
            return;
        }
        CodecChoice.matching(media, published).ifPresentOrElse(chosen -> {
            codec = chosen;
            payloadType = chosen.payloadType();
            rtxPayloadType = media.rtxFor(chosen.payloadType()).map(Codec::payloadType).orElse(-1);
        }, () -> {
            codec = null;
            payloadType = -1;
        });
    }

    /** The subscriber's format for this track, or null. */
    Codec codec() {
        return codec;
    }

    Preference preference() {
        return preference;
    }

    void setPreference(Preference preference) {
        this.preference = preference;
    }

    /** The layer chosen for this subscriber (its size preference and bandwidth), or -1 before the first choice. */
    public int targetLayer() {
        return targetLayer;
    }

    void setTargetLayer(int layer) {
        targetLayer = layer;
    }

    /** The layer being forwarded now: it becomes the target at the target's next key frame; -1 before. */
    public int currentLayer() {
        return currentLayer;
    }

    void setCurrentLayer(int layer) {
        currentLayer = layer;
    }

    /** The msid, CNAME and SSRC lines of the answer: the stream groups a participant's camera and microphone. */
    SendStream sendStream() {
        String stream = track.owner().id() + (track.source() == TrackSource.SCREEN ? "-screen" : "");
        return new SendStream(stream, track.id(), track.owner().id(), ssrc,
                track.kind().equals("video") ? OptionalLong.of(rtxSsrc) : OptionalLong.empty());
    }

    /** Send pipeline: remembers what was asked of the publisher, at most the last 512 sequence numbers. */
    void requestedFromPublisher(int sequence) {
        requestedFromPublisher.add(sequence);
        if (requestedFromPublisher.size() > 512) {
            Iterator<Integer> oldest = requestedFromPublisher.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    public boolean paused() {
        return paused;
    }

    void setPaused(boolean paused) {
        this.paused = paused;
    }

    /**
     * The subscriber's report block on this stream (RFC 3550 §6.4.1), on its receive thread.
     *
     * @param rttMillis the round trip computed from LSR and DLSR, or -1 when the block names no sender report
     */
    void reported(int fractionLost, double rttMillis) {
        this.fractionLost = fractionLost;
        if (rttMillis >= 0) {
            this.rttMillis = rttMillis;
        }
    }

    int fractionLost() {
        return fractionLost;
    }

    double rttMillis() {
        return rttMillis;
    }

    /** After a gap on purpose (unmute): the next packet continues the sequence without a hole. */
    void requestResync() {
        resync = true;
    }

    boolean takeResync() {
        if (resync) {
            resync = false;
            return true;
        }
        return false;
    }

    /** Outgoing minus incoming sequence number (mod 2^16) for media; for translating the subscriber's NACKs. */
    public int sequenceOffset() {
        return sequenceOffset;
    }

    void publishSequenceOffset(int offset) {
        sequenceOffset = offset;
    }

    @Override
    public String toString() {
        return track.id() + "->" + subscriber.id() + "/" + mid;
    }
}
