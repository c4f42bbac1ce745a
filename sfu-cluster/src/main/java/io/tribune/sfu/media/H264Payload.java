package io.tribune.sfu.media;

/**
 * Key frame detection for H.264 RTP payloads (RFC 6184, packetization-mode=1): a single NAL unit, a STAP-A
 * aggregate (type 24) or the first fragment of an FU-A (type 28). A packet starts a key frame when it carries
 * a sequence parameter set (type 7, which Chromium sends right before each IDR) or the start of an IDR slice
 * (type 5).
 *
 * <p>Stateless and thread-safe.
 */
public final class H264Payload {

    static final int IDR = 5;
    static final int SPS = 7;
    static final int STAP_A = 24;
    static final int FU_A = 28;

    private H264Payload() {
    }

    /** Whether the payload {@code buf[off, off + len)} starts a key frame; false for anything malformed. */
    public static boolean isKeyFrame(byte[] buf, int off, int len) {
        if (len < 1) {
            return false;
        }
        int type = buf[off] & 0x1f;
        if (type == IDR || type == SPS) {
            return true;
        }
        if (type == STAP_A) {
            int unit = stapUnit(buf, off, len, IDR, SPS);
            return unit >= 0;
        }
        if (type == FU_A) {
            // RFC 6184 §5.8: the FU header's S bit marks the first fragment; its type is the fragmented unit's.
            return len >= 2 && (buf[off + 1] & 0x80) != 0 && (buf[off + 1] & 0x1f) == IDR;
        }
        return false;
    }

    /**
     * The picture size from the sequence parameter set this payload carries (a single SPS unit, or one inside a
     * STAP-A, where Chromium sends it before each IDR), as {width, height}; null when it carries none or it is
     * malformed.
     */
    public static int[] spsSize(byte[] buf, int off, int len) {
        if (len < 1) {
            return null;
        }
        int type = buf[off] & 0x1f;
        if (type == SPS) {
            return H264Sps.size(buf, off, len);
        }
        if (type == STAP_A) {
            int unit = stapUnit(buf, off, len, SPS, SPS);
            return unit < 0 ? null : H264Sps.size(buf, unit + 2, ((buf[unit] & 0xff) << 8) | (buf[unit + 1] & 0xff));
        }
        return null;
    }

    /**
     * RFC 6184 §5.7.1: after the STAP-A header, each unit is a 16-bit size then the NAL unit. The offset of the
     * size field of the first unit of type {@code a} or {@code b}, or -1 when there is none or the aggregate is
     * malformed before it.
     */
    private static int stapUnit(byte[] buf, int off, int len, int a, int b) {
        int at = off + 1;
        int end = off + len;
        while (at + 2 < end) {
            int size = ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
            if (size == 0 || at + 2 + size > end) {
                return -1;
            }
            int unit = buf[at + 2] & 0x1f;
            if (unit == a || unit == b) {
                return at;
            }
            at += 2 + size;
        }
        return -1;
    }
}
