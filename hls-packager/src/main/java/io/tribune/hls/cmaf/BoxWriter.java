package io.tribune.hls.cmaf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO BMFF boxes (ISO/IEC 14496-12) into a growing byte array: {@link #start} a box, write its fields, then
 * {@link #end} it, which patches its 32-bit size. Big-endian, as the format wants. Not thread-safe.
 */
final class BoxWriter {

    private byte[] bytes = new byte[1024];
    private int length;

    /** Opens a box of the four-character {@code type}; returns its offset for {@link #end}. */
    int start(String type) {
        int offset = length;
        u32(0);
        fourCc(type);
        return offset;
    }

    /** Opens a full box (with version and 24-bit flags). */
    int startFull(String type, int version, int flags) {
        int offset = start(type);
        u32(((long) version << 24) | (flags & 0xFFFFFF));
        return offset;
    }

    void end(int offset) {
        patchU32(offset, length - offset);
    }

    BoxWriter u8(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
        return this;
    }

    BoxWriter u16(int value) {
        return u8(value >>> 8).u8(value);
    }

    BoxWriter u24(int value) {
        return u8(value >>> 16).u16(value);
    }

    BoxWriter u32(long value) {
        return u16((int) (value >>> 16)).u16((int) value);
    }

    BoxWriter u64(long value) {
        return u32(value >>> 32).u32(value & 0xFFFFFFFFL);
    }

    BoxWriter zeros(int count) {
        ensure(count);
        length += count;
        return this;
    }

    BoxWriter bytes(byte[] data) {
        return bytes(data, 0, data.length);
    }

    BoxWriter bytes(byte[] data, int offset, int count) {
        ensure(count);
        System.arraycopy(data, offset, bytes, length, count);
        length += count;
        return this;
    }

    BoxWriter fourCc(String code) {
        byte[] ascii = code.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length != 4) {
            throw new IllegalArgumentException("not a four-character code: " + code);
        }
        return bytes(ascii);
    }

    /** The unity matrix of mvhd and tkhd. */
    BoxWriter unityMatrix() {
        return u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    void patchU32(int offset, long value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
