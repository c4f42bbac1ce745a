package io.tribune.common.media;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The media ingest protocol, version 1: a transcoder pushes encoded samples to a packager over one TCP connection
 * (loopback or a private network) per event. Everything is big-endian.
 *
 * <pre>
 * frame      = type:u8 length:u32 payload[length]          (length &lt;= MAX_FRAME_LENGTH)
 * HELLO    1 = "TRBI" version:u16 eventId:str8 key:str8      first frame, exactly once
 * TRACK    2 = trackId:u8 kind:u8 codec:4*ascii timescale:u32 name:str8 width:u16 height:u16
 *              bitrate:u32 frameRateMilli:u32 configLength:u16 config[configLength]
 * SAMPLE   3 = trackId:u8 flags:u8 dts:i64 pts:i64 duration:u32 [captureTimeMicros:i64 if flags&amp;2]
 *              payload[rest of frame]                        flags: 1 = keyframe, 2 = has capture time
 * DISCONT. 4 = (empty)
 * END      5 = (empty)
 * str8       = length:u8 utf8[length]
 * </pre>
 *
 * <p>Versioning: a receiver refuses a HELLO whose version it does not speak and closes the connection; frame types
 * 128-255 are optional extensions that a receiver skips when it does not know them, while an unknown type below 128
 * is an error. Fields are never reordered within a version; a later version may append fields to a frame, which
 * older receivers of the same version must then ignore (decoders read what they know; SAMPLE has no room for that
 * since its payload runs to the end).
 *
 * <p>Stateless and thread-safe. {@link IngestReader} and {@link IngestWriter} add the stream framing.
 */
public final class IngestProtocol {

    public static final int VERSION = 1;
    /** Largest payload accepted: a 4K IDR frame at high bitrate stays well under this. */
    public static final int MAX_FRAME_LENGTH = 16 * 1024 * 1024;
    /** Type byte plus the 32-bit length. */
    public static final int HEADER_LENGTH = 5;

    public static final int TYPE_HELLO = 1;
    public static final int TYPE_TRACK = 2;
    public static final int TYPE_SAMPLE = 3;
    public static final int TYPE_DISCONTINUITY = 4;
    public static final int TYPE_END = 5;
    /** Frame types from here up are optional: receivers skip unknown ones. */
    public static final int FIRST_OPTIONAL_TYPE = 128;

    private static final byte[] MAGIC = {'T', 'R', 'B', 'I'};
    private static final int FLAG_KEYFRAME = 1;
    private static final int FLAG_CAPTURE_TIME = 2;
    private static final int SAMPLE_FIXED_LENGTH = 1 + 1 + 8 + 8 + 4;

    private IngestProtocol() {
    }

    /** The frame's type byte. */
    public static int typeOf(IngestFrame frame) {
        if (frame instanceof IngestFrame.Hello) {
            return TYPE_HELLO;
        } else if (frame instanceof IngestFrame.TrackAnnounce) {
            return TYPE_TRACK;
        } else if (frame instanceof IngestFrame.Sample) {
            return TYPE_SAMPLE;
        } else if (frame instanceof IngestFrame.Discontinuity) {
            return TYPE_DISCONTINUITY;
        } else {
            return TYPE_END;
        }
    }

    /** The whole frame: header and payload. */
    public static byte[] encode(IngestFrame frame) {
        byte[] payload = encodePayload(frame);
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + payload.length);
        out.put((byte) typeOf(frame)).putInt(payload.length).put(payload);
        return out.array();
    }

    /** The payload alone, without the type and length. */
    public static byte[] encodePayload(IngestFrame frame) {
        if (frame instanceof IngestFrame.Hello hello) {
            byte[] eventId = utf8(hello.eventId());
            byte[] key = utf8(hello.key());
            return ByteBuffer.allocate(4 + 2 + 1 + eventId.length + 1 + key.length)
                    .put(MAGIC).putShort((short) hello.version())
                    .put((byte) eventId.length).put(eventId).put((byte) key.length).put(key).array();
        } else if (frame instanceof IngestFrame.TrackAnnounce track) {
            byte[] name = utf8(track.name());
            byte[] config = track.codecConfig();
            return ByteBuffer.allocate(1 + 1 + 4 + 4 + 1 + name.length + 2 + 2 + 4 + 4 + 2 + config.length)
                    .put((byte) track.trackId()).put((byte) track.kind().code())
                    .put(track.codec().getBytes(StandardCharsets.US_ASCII)).putInt((int) track.timescale())
                    .put((byte) name.length).put(name).putShort((short) track.width())
                    .putShort((short) track.height()).putInt((int) track.bitrate()).putInt(track.frameRateMilli())
                    .putShort((short) config.length).put(config).array();
        } else if (frame instanceof IngestFrame.Sample sample) {
            int flags = (sample.keyframe() ? FLAG_KEYFRAME : 0) | (sample.hasCaptureTime() ? FLAG_CAPTURE_TIME : 0);
            ByteBuffer out = ByteBuffer.allocate(SAMPLE_FIXED_LENGTH + (sample.hasCaptureTime() ? 8 : 0)
                    + sample.payload().length);
            out.put((byte) sample.trackId()).put((byte) flags).putLong(sample.dts()).putLong(sample.pts())
                    .putInt((int) sample.duration());
            if (sample.hasCaptureTime()) {
                out.putLong(sample.captureTimeMicros());
            }
            return out.put(sample.payload()).array();
        } else {
            return new byte[0];
        }
    }

    /**
     * Decodes one frame's payload.
     *
     * @return the frame, or null for an optional (type &gt;= 128) frame this version does not know
     * @throws IngestProtocolException for anything else that is not a valid frame of this version
     */
    public static IngestFrame decode(int type, byte[] payload) throws IngestProtocolException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            IngestFrame frame = switch (type) {
                case TYPE_HELLO -> decodeHello(in);
                case TYPE_TRACK -> decodeTrack(in);
                case TYPE_SAMPLE -> decodeSample(in);
                case TYPE_DISCONTINUITY -> new IngestFrame.Discontinuity();
                case TYPE_END -> new IngestFrame.End();
                default -> {
                    if (type >= FIRST_OPTIONAL_TYPE && type <= 0xFF) {
                        yield null;
                    }
                    throw new IngestProtocolException("unknown frame type " + type);
                }
            };
            if (frame != null && in.hasRemaining()) {
                throw new IngestProtocolException("frame type " + type + " has " + in.remaining()
                        + " bytes too many");
            }
            return frame;
        } catch (BufferUnderflowException e) {
            throw new IngestProtocolException("frame type " + type + " is truncated");
        } catch (IllegalArgumentException e) {
            throw new IngestProtocolException("frame type " + type + ": " + e.getMessage());
        }
    }

    private static IngestFrame.Hello decodeHello(ByteBuffer in) throws IngestProtocolException {
        byte[] magic = new byte[4];
        in.get(magic);
        if (magic[0] != MAGIC[0] || magic[1] != MAGIC[1] || magic[2] != MAGIC[2] || magic[3] != MAGIC[3]) {
            throw new IngestProtocolException("not a Tribune ingest stream (bad magic)");
        }
        int version = Short.toUnsignedInt(in.getShort());
        return new IngestFrame.Hello(version, str8(in), str8(in));
    }

    private static IngestFrame.TrackAnnounce decodeTrack(ByteBuffer in) throws IngestProtocolException {
        int trackId = Byte.toUnsignedInt(in.get());
        int kindCode = Byte.toUnsignedInt(in.get());
        TrackKind kind = TrackKind.of(kindCode);
        if (kind == null) {
            throw new IngestProtocolException("unknown track kind " + kindCode);
        }
        byte[] codec = new byte[4];
        in.get(codec);
        for (byte b : codec) {
            if (b < 0x20 || b > 0x7E) {
                throw new IngestProtocolException("codec is not printable ASCII");
            }
        }
        long timescale = Integer.toUnsignedLong(in.getInt());
        String name = str8(in);
        int width = Short.toUnsignedInt(in.getShort());
        int height = Short.toUnsignedInt(in.getShort());
        long bitrate = Integer.toUnsignedLong(in.getInt());
        int frameRateMilli = in.getInt();
        byte[] config = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(config);
        return new IngestFrame.TrackAnnounce(trackId, kind, new String(codec, StandardCharsets.US_ASCII), timescale,
                name, width, height, bitrate, frameRateMilli, config);
    }

    private static IngestFrame.Sample decodeSample(ByteBuffer in) throws IngestProtocolException {
        int trackId = Byte.toUnsignedInt(in.get());
        int flags = Byte.toUnsignedInt(in.get());
        if ((flags & ~(FLAG_KEYFRAME | FLAG_CAPTURE_TIME)) != 0) {
            throw new IngestProtocolException("unknown sample flags " + flags);
        }
        long dts = in.getLong();
        long pts = in.getLong();
        long duration = Integer.toUnsignedLong(in.getInt());
        long captureTime = IngestFrame.Sample.NO_CAPTURE_TIME;
        if ((flags & FLAG_CAPTURE_TIME) != 0) {
            captureTime = in.getLong();
            if (captureTime == IngestFrame.Sample.NO_CAPTURE_TIME) {
                throw new IngestProtocolException("capture time flagged present but holds the absent marker");
            }
        }
        byte[] payload = new byte[in.remaining()];
        in.get(payload);
        return new IngestFrame.Sample(trackId, (flags & FLAG_KEYFRAME) != 0, dts, pts, duration, captureTime,
                payload);
    }

    private static String str8(ByteBuffer in) throws IngestProtocolException {
        int length = Byte.toUnsignedInt(in.get());
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        ByteBuffer bytes = in.slice();
        bytes.limit(length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IngestProtocolException("a string is not valid UTF-8");
        }
    }

    private static byte[] utf8(String value) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            if (bytes.length > 255) {
                throw new IllegalArgumentException("string longer than 255 UTF-8 bytes");
            }
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid Unicode", e);
        }
    }
}
