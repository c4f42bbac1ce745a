package io.tribune.sfu.media;

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) and, on a key frame's first packet, the frame's size from the VP8
 * key frame header (RFC 6386 §9.1), read in place. The SFU never decodes media; it needs to know where a key
 * frame starts (to switch simulcast layers there), how big the layer is, and where the picture ID and TL0PICIDX
 * are (to keep them continuous across a switch, since the receiver orders VP8 frames by picture ID).
 *
 * <p>Not thread-safe: a reusable view, like {@code RtpPacket}.
 */
public final class Vp8Payload {

    private boolean valid;
    private int pictureIdOffset;
    private int pictureIdBits;
    private int tl0PicIdxOffset;
    private boolean keyFrame;
    private int width;
    private int height;

    /** Reads the payload {@code buf[off, off + len)}; {@link #isValid()} says whether it was well formed. */
    public static Vp8Payload parse(byte[] buf, int off, int len) {
        Vp8Payload p = new Vp8Payload();
        p.read(buf, off, len);
        return p;
    }

    private void read(byte[] buf, int off, int len) {
        pictureIdOffset = -1;
        tl0PicIdxOffset = -1;
        int end = off + len;
        if (len < 1) {
            return;
        }
        int first = buf[off] & 0xff;
        boolean extended = (first & 0x80) != 0;
        boolean start = (first & 0x10) != 0;
        int partition = first & 0x07;
        int at = off + 1;
        if (extended) {
            if (at >= end) {
                return;
            }
            int x = buf[at++] & 0xff;
            if ((x & 0x80) != 0) {
                if (at >= end) {
                    return;
                }
                pictureIdOffset = at;
                if ((buf[at] & 0x80) != 0) {
                    pictureIdBits = 15;
                    at += 2;
                } else {
                    pictureIdBits = 7;
                    at += 1;
                }
            }
            if ((x & 0x40) != 0) {
                tl0PicIdxOffset = at++;
            }
            if ((x & 0x30) != 0) {
                at++;
            }
        }
        if (at > end) {
            return;
        }
        valid = true;
        // RFC 7741 §4.3: the frame header's P bit (0 = key frame) is in the first byte of partition 0's start.
        if (start && partition == 0 && at < end && (buf[at] & 0x01) == 0) {
            keyFrame = true;
            // RFC 6386 §9.1: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height.
            if (at + 10 <= end && (buf[at + 3] & 0xff) == 0x9d && (buf[at + 4] & 0xff) == 0x01
                    && (buf[at + 5] & 0xff) == 0x2a) {
                width = ((buf[at + 6] & 0xff) | (buf[at + 7] & 0xff) << 8) & 0x3fff;
                height = ((buf[at + 8] & 0xff) | (buf[at + 9] & 0xff) << 8) & 0x3fff;
            }
        }
    }

    public boolean isValid() {
        return valid;
    }

    /** Whether this packet starts a key frame. */
    public boolean isKeyFrame() {
        return keyFrame;
    }

    /** The key frame's width in pixels, or 0 when unknown. */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** 0 (absent), 7 or 15. */
    public int pictureIdBits() {
        return pictureIdBits;
    }

    public int pictureId(byte[] buf) {
        if (pictureIdBits == 15) {
            return ((buf[pictureIdOffset] & 0x7f) << 8) | (buf[pictureIdOffset + 1] & 0xff);
        }
        return pictureIdBits == 7 ? buf[pictureIdOffset] & 0x7f : -1;
    }

    /** Writes a picture ID of the same width as the one present (the M bit stays). */
    public void setPictureId(byte[] buf, int pictureId) {
        if (pictureIdBits == 15) {
            buf[pictureIdOffset] = (byte) (0x80 | ((pictureId >>> 8) & 0x7f));
            buf[pictureIdOffset + 1] = (byte) pictureId;
        } else if (pictureIdBits == 7) {
            buf[pictureIdOffset] = (byte) (pictureId & 0x7f);
        }
    }

    public boolean hasTl0PicIdx() {
        return tl0PicIdxOffset >= 0;
    }

    public int tl0PicIdx(byte[] buf) {
        return tl0PicIdxOffset >= 0 ? buf[tl0PicIdxOffset] & 0xff : -1;
    }

    public void setTl0PicIdx(byte[] buf, int value) {
        if (tl0PicIdxOffset >= 0) {
            buf[tl0PicIdxOffset] = (byte) value;
        }
    }
}
