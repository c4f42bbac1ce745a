package io.tribune.sfu.pipeline;

import io.tribune.sfu.srtp.PacketBuffer;

/**
 * A packet travelling through a pipeline, with what the nodes before learned about it: the buffer, when it
 * arrived, and (for RTP) the fields later nodes route by. Nodes fill the fields in; a field nobody set keeps its
 * default.
 *
 * <p>Not thread-safe: exactly one thread owns a {@code PacketInfo} at a time. It moves to another thread only
 * through a queue at a pipeline's edge, and fan-out hands every receiver but the last its own {@link #copy()}.
 */
public final class PacketInfo {

    /** Audio level when the packet carried none: RFC 6464 levels are 0..127 (-dBov). */
    public static final int NO_AUDIO_LEVEL = -1;

    private PacketBuffer buffer;
    private final long receivedNanos;
    private long ssrc = -1;
    private int payloadType = -1;
    private int sequenceNumber = -1;
    private long timestamp = -1;
    private String mid;
    private String rid;
    private String repairedRid;
    private int transportSequence = -1;
    private int layer;
    private boolean keyFrame;
    private int audioLevel = NO_AUDIO_LEVEL;
    private boolean voiceActivity;
    private Object route;

    /** @param receivedNanos {@link System#nanoTime()} when the datagram left the socket */
    public PacketInfo(PacketBuffer buffer, long receivedNanos) {
        this.buffer = buffer;
        this.receivedNanos = receivedNanos;
    }

    /** A deep copy: own bytes (with the same tail room), same fields. */
    public PacketInfo copy() {
        PacketInfo copy = new PacketInfo(PacketBuffer.copyOf(buffer.getBuffer(), buffer.getOffset(),
                buffer.getLength()), receivedNanos);
        copy.ssrc = ssrc;
        copy.payloadType = payloadType;
        copy.sequenceNumber = sequenceNumber;
        copy.timestamp = timestamp;
        copy.mid = mid;
        copy.rid = rid;
        copy.repairedRid = repairedRid;
        copy.transportSequence = transportSequence;
        copy.layer = layer;
        copy.keyFrame = keyFrame;
        copy.audioLevel = audioLevel;
        copy.voiceActivity = voiceActivity;
        copy.route = route;
        return copy;
    }

    public PacketBuffer buffer() {
        return buffer;
    }

    public void setBuffer(PacketBuffer buffer) {
        this.buffer = buffer;
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    /** The RTP SSRC, unsigned; -1 until parsed. */
    public long ssrc() {
        return ssrc;
    }

    public int payloadType() {
        return payloadType;
    }

    public int sequenceNumber() {
        return sequenceNumber;
    }

    public long timestamp() {
        return timestamp;
    }

    /** Sets the fields of the RTP fixed header, as parsed. */
    public void setRtpHeader(long ssrc, int payloadType, int sequenceNumber, long timestamp) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.sequenceNumber = sequenceNumber;
        this.timestamp = timestamp;
    }

    /** The RFC 8843 mid header extension's value, or null. */
    public String mid() {
        return mid;
    }

    public void setMid(String mid) {
        this.mid = mid;
    }

    /** The RFC 8852 rtp-stream-id header extension's value, or null. */
    public String rid() {
        return rid;
    }

    public void setRid(String rid) {
        this.rid = rid;
    }

    /** The RFC 8852 repaired-rtp-stream-id of an RTX packet, or null. */
    public String repairedRid() {
        return repairedRid;
    }

    public void setRepairedRid(String repairedRid) {
        this.repairedRid = repairedRid;
    }

    /** The transport-wide sequence number (transport-cc extension), or -1. */
    public int transportSequence() {
        return transportSequence;
    }

    public void setTransportSequence(int transportSequence) {
        this.transportSequence = transportSequence;
    }

    /** The simulcast layer the packet belongs to: 0 the lowest (and the only one without simulcast). */
    public int layer() {
        return layer;
    }

    public void setLayer(int layer) {
        this.layer = layer;
    }

    /** Whether this packet starts a key frame (VP8 key frame, H.264 SPS or IDR). */
    public boolean keyFrame() {
        return keyFrame;
    }

    public void setKeyFrame(boolean keyFrame) {
        this.keyFrame = keyFrame;
    }

    /** RFC 6464 level in -dBov (0 loudest, 127 silence), or {@link #NO_AUDIO_LEVEL}. */
    public int audioLevel() {
        return audioLevel;
    }

    public boolean voiceActivity() {
        return voiceActivity;
    }

    public void setAudioLevel(int audioLevel, boolean voiceActivity) {
        this.audioLevel = audioLevel;
        this.voiceActivity = voiceActivity;
    }

    /** Whatever a classifying node attached for the nodes after it (the published track, the down track). */
    public Object route() {
        return route;
    }

    public void setRoute(Object route) {
        this.route = route;
    }
}
