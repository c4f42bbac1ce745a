package io.tribune.sfu.rtp;

/**
 * A zero-copy view of one RTP packet (RFC 3550 §5.1) inside a byte array: the header fields are read from and
 * written to the array itself, and only the offsets that parsing found are kept here.
 *
 * <p>{@link #parse} never throws on network input. A packet that fails validation comes back with a
 * {@link #malformation()} other than {@link Malformation#NONE}; its other accessors must not be used.
 *
 * <p>Not thread-safe: a view belongs to the pipeline thread that owns its buffer. The buffer is not copied, so a
 * view is only valid while its owner keeps the array unchanged in length and position.
 */
public final class RtpPacket {

    /** The fixed header's length: V, P, X, CC, M, PT, sequence number, timestamp, SSRC. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 §4.2: the "defined by profile" value of a header extension with one-byte element headers. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 §4.3: the upper 12 bits of the profile value of an extension with two-byte element headers. */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private final byte[] buffer;
    private final int offset;
    private final int length;
    private final Malformation malformation;
    private final int headerLength;
    private final int extensionOffset;
    private final int extensionLength;
    private final int paddingLength;

    private RtpPacket(byte[] buffer, int offset, int length, Malformation malformation, int headerLength,
                      int extensionOffset, int extensionLength, int paddingLength) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.malformation = malformation;
        this.headerLength = headerLength;
        this.extensionOffset = extensionOffset;
        this.extensionLength = extensionLength;
        this.paddingLength = paddingLength;
    }

    /**
     * Validates and wraps the packet at {@code buf[off, off+len)}.
     *
     * @return a view; check {@link #isWellFormed()} before using anything but {@link #malformation()}
     */
    public static RtpPacket parse(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            return rejected(buf, off, len, Malformation.TOO_SHORT);
        }
        if (len < FIXED_HEADER_LENGTH) {
            return rejected(buf, off, len, Malformation.TOO_SHORT);
        }
        int first = buf[off] & 0xff;
        if (first >>> 6 != 2) {
            return rejected(buf, off, len, Malformation.BAD_VERSION);
        }
        int header = FIXED_HEADER_LENGTH + 4 * (first & 0x0f);
        if (header > len) {
            return rejected(buf, off, len, Malformation.CSRC_OVERRUN);
        }
        int extensionOffset = -1;
        int extensionLength = 0;
        if ((first & 0x10) != 0) {
            if (header + 4 > len) {
                return rejected(buf, off, len, Malformation.EXTENSION_OVERRUN);
            }
            extensionLength = 4 * Bytes.uint16(buf, off + header + 2);
            extensionOffset = header + 4;
            header += 4 + extensionLength;
            if (header > len) {
                return rejected(buf, off, len, Malformation.EXTENSION_OVERRUN);
            }
        }
        int padding = 0;
        if ((first & 0x20) != 0) {
            // RFC 3550 §5.1: the last octet counts the padding octets, itself included, so it is never zero.
            padding = buf[off + len - 1] & 0xff;
            if (padding == 0 || header + padding > len) {
                return rejected(buf, off, len, Malformation.BAD_PADDING);
            }
        }
        return new RtpPacket(buf, off, len, Malformation.NONE, header, extensionOffset, extensionLength, padding);
    }

    private static RtpPacket rejected(byte[] buf, int off, int len, Malformation why) {
        return new RtpPacket(buf, off, len, why, 0, -1, 0, 0);
    }

    /** {@link Malformation#NONE} when the packet is well formed, else why it is not. */
    public Malformation malformation() {
        return malformation;
    }

    /** Whether the packet passed validation. */
    public boolean isWellFormed() {
        return malformation == Malformation.NONE;
    }

    /** The array the packet lives in. */
    public byte[] buffer() {
        return buffer;
    }

    /** Where the packet starts in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    /** The whole packet's length, header and padding included. */
    public int length() {
        return length;
    }

    /** The header's length: fixed header, CSRCs and the header extension. */
    public int headerLength() {
        return headerLength;
    }

    public int version() {
        return (buffer[offset] & 0xff) >>> 6;
    }

    public boolean hasPadding() {
        return (buffer[offset] & 0x20) != 0;
    }

    /** The number of padding octets at the end, the count octet included; 0 without padding. */
    public int paddingLength() {
        return paddingLength;
    }

    public boolean hasExtension() {
        return extensionOffset >= 0;
    }

    public int csrcCount() {
        return buffer[offset] & 0x0f;
    }

    /** The i-th contributing source, 0-based. */
    public int csrc(int index) {
        return Bytes.int32(buffer, offset + FIXED_HEADER_LENGTH + 4 * index);
    }

    public boolean marker() {
        return (buffer[offset + 1] & 0x80) != 0;
    }

    public void setMarker(boolean marker) {
        buffer[offset + 1] = (byte) (marker ? buffer[offset + 1] | 0x80 : buffer[offset + 1] & 0x7f);
    }

    public int payloadType() {
        return buffer[offset + 1] & 0x7f;
    }

    public void setPayloadType(int payloadType) {
        buffer[offset + 1] = (byte) ((buffer[offset + 1] & 0x80) | (payloadType & 0x7f));
    }

    /** The 16-bit sequence number, 0–65535. */
    public int sequenceNumber() {
        return Bytes.uint16(buffer, offset + 2);
    }

    public void setSequenceNumber(int sequenceNumber) {
        Bytes.putUint16(buffer, offset + 2, sequenceNumber);
    }

    /** The 32-bit RTP timestamp as an unsigned value. */
    public long timestamp() {
        return Bytes.uint32(buffer, offset + 4);
    }

    public void setTimestamp(long timestamp) {
        Bytes.putInt32(buffer, offset + 4, timestamp);
    }

    /** The synchronisation source; SSRCs are opaque 32-bit identifiers, kept as Java ints. */
    public int ssrc() {
        return Bytes.int32(buffer, offset + 8);
    }

    public void setSsrc(int ssrc) {
        Bytes.putInt32(buffer, offset + 8, ssrc);
    }

    /** The header extension's "defined by profile" value; only meaningful when {@link #hasExtension()}. */
    public int extensionProfile() {
        return Bytes.uint16(buffer, offset + extensionOffset - 4);
    }

    /** Where the header extension's data (after its 4-byte header) starts, relative to {@link #buffer()}. */
    public int extensionDataOffset() {
        return offset + extensionOffset;
    }

    /** The header extension's data length in bytes, a multiple of 4; 0 without an extension. */
    public int extensionDataLength() {
        return extensionLength;
    }

    /** Where the payload starts, relative to {@link #buffer()}. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** The payload's length, padding excluded. */
    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    /**
     * A cursor over the RFC 8285 elements of the header extension; empty when the packet has none or its profile
     * is neither one-byte nor two-byte.
     */
    public HeaderExtensionCursor extensions() {
        return new HeaderExtensionCursor(this);
    }
}
