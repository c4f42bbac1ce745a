package io.tribune.sfu.room;

import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.sdp.SendStream;
import java.util.OptionalLong;

/**
 * One published track as one subscriber receives it: the section (mid) of the subscriber's peer connection, the
 * SFU's own SSRCs for it, the subscriber's payload types, and the rewriting state that keeps sequence numbers and
 * timestamps continuous when packets are held back (mute) or the source changes.
 *
 * <p>Thread-safety: the rewriting state belongs to the subscriber's send pipeline thread ({@link StreamRewriter});
 * {@link #sequenceOffset()} is published for the subscriber's receive thread (NACK translation); the rest is set
 * under the room's lock and read through volatile fields.
 */
public final class DownTrack {

    private final Participant subscriber;
    private final PublishedTrack track;
    private final String mid;
    private final long ssrc;
    private final long rtxSsrc;
    private volatile int payloadType = -1;
    private volatile int rtxPayloadType = -1;
    private volatile boolean resync;
    private volatile int sequenceOffset;
    /** Not forwarded (last-N); set under the room's lock, read by the publisher's fan-out. */
    private volatile boolean paused;
    /** From the subscriber's latest report block on this stream, for metrics; -1 until one came. */
    private volatile int fractionLost = -1;
    private volatile double rttMillis = -1;

    // Owned by the subscriber's send pipeline thread (the cache is created here, then handed over by the queue).
    final PacketCache cache;
    boolean started;
    long sourceSsrc = -1;
    int lastSequence;
    long timestampOffset;
    long lastTimestamp;
    long lastSentNanos;
    int rtxSequence;

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

    /** Takes the subscriber's payload types from its (re-)offer for this mid. */
    void updateFrom(OfferedMedia media) {
        media.codec(PublishedTrack.codecName(track.kind())).map(Codec::payloadType).ifPresent(pt -> {
            payloadType = pt;
            rtxPayloadType = media.rtxFor(pt).map(Codec::payloadType).orElse(-1);
        });
    }

    /** The msid, CNAME and SSRC lines of the answer: the stream groups a participant's camera and microphone. */
    SendStream sendStream() {
        String stream = track.owner().id() + (track.source() == TrackSource.SCREEN ? "-screen" : "");
        return new SendStream(stream, track.id(), track.owner().id(), ssrc,
                track.kind().equals("video") ? OptionalLong.of(rtxSsrc) : OptionalLong.empty());
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
