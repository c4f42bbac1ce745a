package io.tribune.recording.rtp;

/**
 * VP8 over RTP, RFC 7741. Each packet starts with the VP8 payload descriptor (section 4.2), which is skipped:
 *
 * <pre>
 *   X R N S R PID      X: extension byte follows; S: start of a partition; PID: partition index
 *   I L T K - - - -    (if X) I: PictureID follows, L: TL0PICIDX, T/K: TID/KEYIDX byte
 *   M PictureID        (if I) M: 15-bit PictureID, else 7-bit
 *   TL0PICIDX          (if L)
 *   TID Y KEYIDX       (if T or K)
 * </pre>
 *
 * A frame starts with S=1 and PID=0; its first payload byte's bit 0 is 0 for a key frame (RFC 6386 section 9.1),
 * whose bytes 3..9 also carry the start code and the dimensions ({@link #dimensions}).
 */
public final class Vp8Depacketizer extends FrameAssembler {

    public Vp8Depacketizer(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    /** Offset of the VP8 data after the descriptor, or -1 if the descriptor does not fit the payload. */
    static int descriptorLength(byte[] payload) {
        if (payload.length < 1) {
            return -1;
        }
        int offset = 1;
        if ((payload[0] & 0x80) != 0) {
            if (payload.length < 2) {
                return -1;
            }
            int extension = payload[1] & 0xFF;
            offset = 2;
            if ((extension & 0x80) != 0) {
                if (payload.length <= offset) {
                    return -1;
                }
                offset += (payload[offset] & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) {
                offset++;
            }
            if ((extension & 0x30) != 0) {
                offset++;
            }
        }
        return offset < payload.length ? offset : -1;
    }

    /** S=1 and PID=0: the first packet of a frame. */
    static boolean startsFrame(byte[] payload) {
        return payload.length > 0 && (payload[0] & 0x10) != 0 && (payload[0] & 0x07) == 0;
    }

    @Override
    Appended append(byte[] payload) {
        int offset = descriptorLength(payload);
        if (offset < 0) {
            return Appended.CORRUPT;
        }
        if (startsFrame(payload)) {
            if (frameStarted()) {
                return Appended.CORRUPT; // a second frame start with the same timestamp: not one frame
            }
            markStarted();
        } else if (!frameStarted()) {
            return Appended.MISSING_START;
        }
        frameBuffer().write(payload, offset, payload.length - offset);
        return Appended.OK;
    }

    @Override
    boolean isKeyframe(byte[] frame) {
        return frame.length >= 10 && (frame[0] & 0x01) == 0
                && (frame[3] & 0xFF) == 0x9d && (frame[4] & 0xFF) == 0x01 && (frame[5] & 0xFF) == 0x2a;
    }

    /** Width and height of a key frame (14 bits each, RFC 6386 section 9.1), or null for other frames. */
    public static int[] dimensions(byte[] keyframe) {
        if (keyframe.length < 10 || (keyframe[0] & 0x01) != 0) {
            return null;
        }
        int width = ((keyframe[6] & 0xFF) | (keyframe[7] & 0xFF) << 8) & 0x3FFF;
        int height = ((keyframe[8] & 0xFF) | (keyframe[9] & 0xFF) << 8) & 0x3FFF;
        return new int[] {width, height};
    }
}
