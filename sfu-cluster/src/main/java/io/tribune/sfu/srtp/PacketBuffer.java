package io.tribune.sfu.srtp;

import java.util.Arrays;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * A packet in a byte array with room after it, the unit SRTP transforms in place. Encryption appends the
 * authentication tag (and for SRTCP the index), so buffers are allocated with {@link #TAIL_ROOM} spare bytes;
 * {@link #grow} reallocates only if a caller forgot.
 *
 * <p>Not thread-safe. Ownership passes with the packet: whoever holds it last drops or reuses it.
 */
public final class PacketBuffer implements ByteArrayBuffer {

    /** Spare bytes after a packet: an SRTCP tag (16) plus the E flag and index (4), rounded up. */
    public static final int TAIL_ROOM = 32;

    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new IllegalArgumentException("offset " + offset + " length " + length + " in " + buffer.length);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** Copies {@code len} bytes into a new buffer with {@link #TAIL_ROOM} spare bytes after them. */
    public static PacketBuffer copyOf(byte[] src, int off, int len) {
        byte[] copy = new byte[len + TAIL_ROOM];
        System.arraycopy(src, off, copy, 0, len);
        return new PacketBuffer(copy, 0, len);
    }

    /** The packet's bytes, copied out. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        if (length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("length " + length);
        }
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        if (offset < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset " + offset);
        }
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        if (off < 0 || len <= 0 || off + len > length || out.length < len) {
            return;
        }
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch " + howMuch);
        }
        if (offset + length + howMuch > buffer.length) {
            byte[] bigger = new byte[length + howMuch + TAIL_ROOM];
            System.arraycopy(buffer, offset, bigger, 0, length);
            buffer = bigger;
            offset = 0;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len == 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
