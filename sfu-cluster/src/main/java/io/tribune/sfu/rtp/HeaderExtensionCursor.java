package io.tribune.sfu.rtp;

/**
 * Walks the elements of an RTP header extension in the RFC 8285 one-byte (§4.2) or two-byte (§4.3) form, without
 * copying: each step exposes the element's id and where its data lies in the packet's buffer.
 *
 * <pre>{@code
 * HeaderExtensionCursor c = packet.extensions();
 * while (c.next()) {
 *     if (c.id() == audioLevelId) { ... c.dataOffset(), c.dataLength() ... }
 * }
 * if (c.isMalformed()) { count and drop }
 * }</pre>
 *
 * <p>Not thread-safe; a cursor is a short-lived object of the thread that owns the packet.
 */
public final class HeaderExtensionCursor {

    private final byte[] buffer;
    private final int end;
    private final boolean twoByte;
    private int position;
    private int id;
    private int dataOffset;
    private int dataLength;
    private boolean malformed;

    HeaderExtensionCursor(RtpPacket packet) {
        this.buffer = packet.buffer();
        int profile = packet.hasExtension() ? packet.extensionProfile() : 0;
        this.twoByte = (profile & 0xfff0) == RtpPacket.TWO_BYTE_PROFILE;
        boolean known = profile == RtpPacket.ONE_BYTE_PROFILE || twoByte;
        this.position = packet.extensionDataOffset();
        this.end = known ? position + packet.extensionDataLength() : position;
    }

    /** Whether the extension uses two-byte element headers (RFC 8285 §4.3). */
    public boolean isTwoByte() {
        return twoByte;
    }

    /**
     * Advances to the next element.
     *
     * @return false at the end, or when the next element is malformed ({@link #isMalformed()} then says so)
     */
    public boolean next() {
        while (position < end) {
            int first = buffer[position] & 0xff;
            if (first == 0) {
                // RFC 8285 §4.1: padding octets (id 0) may appear between elements and are skipped.
                position++;
                continue;
            }
            if (twoByte) {
                if (position + 2 > end) {
                    return malformed();
                }
                id = first;
                dataLength = buffer[position + 1] & 0xff;
                dataOffset = position + 2;
            } else {
                id = first >>> 4;
                if (id == 0) {
                    // RFC 8285 §4.2: id 0 is reserved for padding, which is a whole zero byte; an element header
                    // with id 0 and a length is neither padding nor an element.
                    return malformed();
                }
                if (id == 15) {
                    // RFC 8285 §4.2: id 15 is reserved; processing stops here without error.
                    position = end;
                    return false;
                }
                dataLength = (first & 0x0f) + 1;
                dataOffset = position + 1;
            }
            if (dataOffset + dataLength > end) {
                return malformed();
            }
            position = dataOffset + dataLength;
            return true;
        }
        return false;
    }

    private boolean malformed() {
        malformed = true;
        position = end;
        return false;
    }

    /** Whether iteration stopped on an element that runs past the extension block. */
    public boolean isMalformed() {
        return malformed;
    }

    /** The current element's id: 1–14 in one-byte form, 1–255 in two-byte form. */
    public int id() {
        return id;
    }

    /** Where the current element's data starts in the packet's buffer. */
    public int dataOffset() {
        return dataOffset;
    }

    /** The current element's data length: 1–16 in one-byte form, 0–255 in two-byte form. */
    public int dataLength() {
        return dataLength;
    }
}
