package io.tribune.sfu.rtp;

/**
 * Big-endian reads and writes on byte arrays, the network byte order of every RTP and RTCP field.
 *
 * <p>Stateless and thread-safe. Callers check bounds before calling; these helpers never do.
 */
final class Bytes {

    private Bytes() {
    }

    static int uint8(byte[] buf, int off) {
        return buf[off] & 0xff;
    }

    static int uint16(byte[] buf, int off) {
        return ((buf[off] & 0xff) << 8) | (buf[off + 1] & 0xff);
    }

    static int uint24(byte[] buf, int off) {
        return ((buf[off] & 0xff) << 16) | ((buf[off + 1] & 0xff) << 8) | (buf[off + 2] & 0xff);
    }

    static int int32(byte[] buf, int off) {
        return ((buf[off] & 0xff) << 24) | ((buf[off + 1] & 0xff) << 16)
                | ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
    }

    static long uint32(byte[] buf, int off) {
        return int32(buf, off) & 0xffffffffL;
    }

    static long int64(byte[] buf, int off) {
        return ((long) int32(buf, off) << 32) | uint32(buf, off + 4);
    }

    static void putUint16(byte[] buf, int off, int value) {
        buf[off] = (byte) (value >>> 8);
        buf[off + 1] = (byte) value;
    }

    static void putUint24(byte[] buf, int off, int value) {
        buf[off] = (byte) (value >>> 16);
        buf[off + 1] = (byte) (value >>> 8);
        buf[off + 2] = (byte) value;
    }

    static void putInt32(byte[] buf, int off, long value) {
        buf[off] = (byte) (value >>> 24);
        buf[off + 1] = (byte) (value >>> 16);
        buf[off + 2] = (byte) (value >>> 8);
        buf[off + 3] = (byte) value;
    }

    static void putInt64(byte[] buf, int off, long value) {
        putInt32(buf, off, value >>> 32);
        putInt32(buf, off + 4, value);
    }
}
