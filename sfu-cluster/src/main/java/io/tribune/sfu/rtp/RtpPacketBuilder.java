package io.tribune.sfu.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds RTP packets (RFC 3550 §5.1) with CSRCs, RFC 8285 header extensions and padding. Chooses the one-byte
 * extension form when every element fits it (ids 1–14, 1–16 data bytes) and the two-byte form otherwise.
 *
 * <p>Not thread-safe; a builder is filled and used by one thread.
 */
public final class RtpPacketBuilder {

    private boolean marker;
    private int payloadType;
    private int sequenceNumber;
    private long timestamp;
    private int ssrc;
    private int[] csrcs = new int[0];
    private final List<Element> extensions = new ArrayList<>();
    private byte[] payload = new byte[0];
    private int paddingLength;

    private record Element(int id, byte[] data) {
    }

    public RtpPacketBuilder marker(boolean value) {
        this.marker = value;
        return this;
    }

    public RtpPacketBuilder payloadType(int value) {
        if (value < 0 || value > 127) {
            throw new IllegalArgumentException("payload type out of range: " + value);
        }
        this.payloadType = value;
        return this;
    }

    public RtpPacketBuilder sequenceNumber(int value) {
        this.sequenceNumber = value & 0xffff;
        return this;
    }

    public RtpPacketBuilder timestamp(long value) {
        this.timestamp = value & 0xffffffffL;
        return this;
    }

    public RtpPacketBuilder ssrc(int value) {
        this.ssrc = value;
        return this;
    }

    public RtpPacketBuilder csrcs(int... values) {
        if (values.length > 15) {
            throw new IllegalArgumentException("at most 15 CSRCs, got " + values.length);
        }
        this.csrcs = values.clone();
        return this;
    }

    /** Adds a header extension element; ids 1–255, data up to 255 bytes (RFC 8285 §4.3 limits). */
    public RtpPacketBuilder extension(int id, byte[] data) {
        if (id < 1 || id > 255 || data.length > 255) {
            throw new IllegalArgumentException("extension id " + id + " with " + data.length + " bytes");
        }
        extensions.add(new Element(id, data.clone()));
        return this;
    }

    public RtpPacketBuilder payload(byte[] value) {
        this.payload = value.clone();
        return this;
    }

    /** Appends this many padding octets (1–255, the count octet included); 0 for none. */
    public RtpPacketBuilder padding(int octets) {
        if (octets < 0 || octets > 255) {
            throw new IllegalArgumentException("padding out of range: " + octets);
        }
        this.paddingLength = octets;
        return this;
    }

    private boolean fitsOneByteForm() {
        for (Element e : extensions) {
            if (e.id > 14 || e.data.length < 1 || e.data.length > 16) {
                return false;
            }
        }
        return true;
    }

    /** The encoded packet. */
    public byte[] build() {
        boolean oneByte = fitsOneByteForm();
        int elementBytes = 0;
        for (Element e : extensions) {
            elementBytes += (oneByte ? 1 : 2) + e.data.length;
        }
        int extensionData = (elementBytes + 3) / 4 * 4;
        int header = RtpPacket.FIXED_HEADER_LENGTH + 4 * csrcs.length + (extensions.isEmpty() ? 0 : 4 + extensionData);
        byte[] out = new byte[header + payload.length + paddingLength];
        out[0] = (byte) (0x80 | (paddingLength > 0 ? 0x20 : 0) | (extensions.isEmpty() ? 0 : 0x10) | csrcs.length);
        out[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        Bytes.putUint16(out, 2, sequenceNumber);
        Bytes.putInt32(out, 4, timestamp);
        Bytes.putInt32(out, 8, ssrc);
        int pos = RtpPacket.FIXED_HEADER_LENGTH;
        for (int csrc : csrcs) {
            Bytes.putInt32(out, pos, csrc);
            pos += 4;
        }
        if (!extensions.isEmpty()) {
            Bytes.putUint16(out, pos, oneByte ? RtpPacket.ONE_BYTE_PROFILE : RtpPacket.TWO_BYTE_PROFILE);
            Bytes.putUint16(out, pos + 2, extensionData / 4);
            pos += 4;
            int dataStart = pos;
            for (Element e : extensions) {
                if (oneByte) {
                    out[pos++] = (byte) ((e.id << 4) | (e.data.length - 1));
                } else {
                    out[pos++] = (byte) e.id;
                    out[pos++] = (byte) e.data.length;
                }
                System.arraycopy(e.data, 0, out, pos, e.data.length);
                pos += e.data.length;
            }
            // The remainder up to the 32-bit boundary stays zero: RFC 8285 padding octets.
            pos = dataStart + extensionData;
        }
        System.arraycopy(payload, 0, out, pos, payload.length);
        if (paddingLength > 0) {
            out[out.length - 1] = (byte) paddingLength;
        }
        return out;
    }

    @Override
    public String toString() {
        return "RtpPacketBuilder[pt=" + payloadType + ", seq=" + sequenceNumber + ", ssrc=" + ssrc
                + ", csrcs=" + Arrays.toString(csrcs) + ", extensions=" + extensions.size() + "]";
    }
}
