package io.tribune.sfu.room;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One encoding of a published track: a simulcast stream (RFC 8853) named by its rid, or the one stream of a
 * track without simulcast. Layers are numbered from 0, the lowest (smallest) one, in the order of the offer's
 * {@code a=simulcast} line, which is WebRTC's convention for {@code sendEncodings} (scaleResolutionDownBy 4, 2,
 * 1). The SSRCs come from the offer, or are learned from the first packets that carry the rid (RTX: the repaired
 * rid).
 *
 * <p>Thread-safety: the SSRCs, size, bitrate and last sender report are written by the publisher's receive
 * thread (and the SSRCs by signaling under the room's lock) and read by any thread: volatile fields. The
 * reception statistics are the publisher's receive thread's own.
 */
final class Layer {

    /** A layer that sent nothing for this long is not offered to subscribers. */
    static final long ACTIVE_NANOS = 1_500_000_000L;
    /** Used before a layer's bitrate is measured, by index: typical 180p, 360p and 720p VP8 rates. */
    private static final long[] DEFAULT_BPS = {150_000, 500_000, 1_500_000};

    final int index;
    final String rid;
    final ReceptionStatistics reception = new ReceptionStatistics();
    private final AtomicLong lastKeyFrameRequestMillis = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile long ssrc = -1;
    private volatile long rtxSsrc = -1;
    private volatile int width;
    private volatile int height;
    private volatile long bitrateBps;
    private volatile long lastPacketNanos = Long.MIN_VALUE / 2;
    private volatile SenderClock senderClock;

    // Bitrate measurement, publisher's receive thread only.
    private long windowStartNanos;
    private long windowBytes;

    Layer(int index, String rid) {
        this.index = index;
        this.rid = rid;
    }

    /** An RTP/NTP time pair from the publisher's sender report and when it arrived here (RFC 3550 §6.4.1). */
    record SenderClock(long ntpTimestamp, long rtpTimestamp, long receivedNanos) {
    }

    long ssrc() {
        return ssrc;
    }

    void setSsrc(long ssrc) {
        this.ssrc = ssrc;
    }

    long rtxSsrc() {
        return rtxSsrc;
    }

    void setRtxSsrc(long rtxSsrc) {
        this.rtxSsrc = rtxSsrc;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    void setSize(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** The measured media bitrate, or a typical one for its index before the first measurement. */
    long bitrateBps() {
        long measured = bitrateBps;
        return measured > 0 ? measured : DEFAULT_BPS[Math.min(index, DEFAULT_BPS.length - 1)];
    }

    long measuredBitrateBps() {
        return bitrateBps;
    }

    boolean isActive(long nowNanos) {
        return nowNanos - lastPacketNanos < ACTIVE_NANOS;
    }

    SenderClock senderClock() {
        return senderClock;
    }

    void setSenderClock(SenderClock clock) {
        this.senderClock = clock;
    }

    /** Publisher's receive thread: counts a media packet toward the bitrate (over windows of half a second). */
    void countPacket(int bytes, long nowNanos) {
        lastPacketNanos = nowNanos;
        if (windowStartNanos == 0) {
            windowStartNanos = nowNanos;
        }
        windowBytes += bytes;
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= 500_000_000L) {
            long rate = windowBytes * 8 * 1_000_000_000L / elapsed;
            long previous = bitrateBps;
            bitrateBps = previous == 0 ? rate : (previous * 3 + rate) / 4;
            windowStartNanos = nowNanos;
            windowBytes = 0;
        }
    }

    /** Whether a key frame may be asked for now (at most one per interval per layer); any thread. */
    long lastKeyFrameRequestMillis() {
        return lastKeyFrameRequestMillis.get();
    }

    boolean mayRequestKeyFrame(long nowMillis, long intervalMillis) {
        long last = lastKeyFrameRequestMillis.get();
        return nowMillis - last >= intervalMillis && lastKeyFrameRequestMillis.compareAndSet(last, nowMillis);
    }

    @Override
    public String toString() {
        return "layer " + index + (rid == null ? "" : " (" + rid + ")") + " " + width + "x" + height + " "
                + bitrateBps / 1000 + " kbps";
    }
}
