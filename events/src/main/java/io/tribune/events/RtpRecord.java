package io.tribune.events;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tapped RTP packet on {@link Topics#MEDIA_AUDIO} or {@link Topics#MEDIA_VIDEO}: the packet as the SFU received
 * it, after SRTP decryption and before any rewriting, keyed {@code meetingId:trackId} like the track's
 * {@link MediaEvents metadata}. The value is a compact binary record rather than JSON, because a recorded room taps
 * hundreds of packets a second:
 *
 * <pre>
 *  0      format version (1; never '{', so a consumer tells it from a JSON event by its first byte)
 *  1      flags: bit 0 = RTP marker
 *  2      RTP payload type
 *  3..4   RTP sequence number (unsigned, big-endian)
 *  5..8   RTP timestamp (unsigned)
 *  9..12  SSRC (unsigned)
 *  13..20 arrival time at the SFU, microseconds since the epoch
 *  21..   payload (header extensions and padding removed), at most {@link #MAX_PAYLOAD} bytes
 * </pre>
 *
 * @param payload the RTP payload; kept as given (callers hand over a copy they no longer touch)
 */
public record RtpRecord(long arrivalMicros, long ssrc, int payloadType, int sequence, long timestamp, boolean marker,
                        byte[] payload) {

    public static final byte VERSION = 1;
    public static final int HEADER_BYTES = 21;
    /** Larger than any RTP payload over UDP; a bigger record is malformed. */
    public static final int MAX_PAYLOAD = 65_535;

    public RtpRecord {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is not 0..127");
        }
        if (sequence < 0 || sequence > 0xFFFF) {
            throw new IllegalArgumentException("sequence " + sequence + " is not 0..65535");
        }
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL || ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timestamp and ssrc are unsigned 32-bit values");
        }
        if (payload == null || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload must be present and at most " + MAX_PAYLOAD + " bytes");
        }
    }

    /** Whether {@code value} is an RTP record (else it should be a JSON event). */
    public static boolean isRtpRecord(byte[] value) {
        return value != null && value.length > 0 && value[0] == VERSION;
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        out.put(VERSION).put((byte) (marker ? 1 : 0)).put((byte) payloadType).putShort((short) sequence)
                .putInt((int) timestamp).putInt((int) ssrc).putLong(arrivalMicros).put(payload);
        return out.array();
    }

    /** Decodes a record; anything else is an {@link EventFormatException} (for the consumer's dead-letter topic). */
    public static RtpRecord decode(byte[] value) {
        if (value == null || value.length < HEADER_BYTES) {
            throw new EventFormatException("RTP record shorter than its " + HEADER_BYTES + "-byte header");
        }
        if (value[0] != VERSION) {
            throw new EventFormatException("RTP record format " + (value[0] & 0xFF) + " is not known");
        }
        if (value.length - HEADER_BYTES > MAX_PAYLOAD) {
            throw new EventFormatException("RTP record payload over " + MAX_PAYLOAD + " bytes");
        }
        if ((value[1] & ~1) != 0 || (value[2] & 0x80) != 0) {
            throw new EventFormatException("RTP record has unknown flags or a payload type over 127");
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        in.position(3);
        int sequence = in.getShort() & 0xFFFF;
        long timestamp = in.getInt() & 0xFFFF_FFFFL;
        long ssrc = in.getInt() & 0xFFFF_FFFFL;
        long arrival = in.getLong();
        return new RtpRecord(arrival, ssrc, value[2], sequence, timestamp, (value[1] & 1) != 0,
                Arrays.copyOfRange(value, HEADER_BYTES, value.length));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RtpRecord r && r.arrivalMicros == arrivalMicros && r.ssrc == ssrc
                && r.payloadType == payloadType && r.sequence == sequence && r.timestamp == timestamp
                && r.marker == marker && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(ssrc ^ timestamp) + sequence + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RtpRecord[ssrc=" + ssrc + ", pt=" + payloadType + ", seq=" + sequence + ", ts=" + timestamp
                + ", marker=" + marker + ", payload=" + payload.length + " bytes]";
    }
}
