package io.tribune.recording.rtp;

import java.io.ByteArrayOutputStream;

/**
 * H.264 over RTP, RFC 6184 (packetization-mode 0 and 1): single NAL unit packets (types 1-23, section 5.6), STAP-A
 * aggregates (type 24, section 5.7.1) and FU-A fragments (type 28, section 5.8). STAP-B, MTAPs and FU-B (modes 2
 * only) are counted as corrupt. The access unit comes out AVCC style: each NAL unit with a 4-byte big-endian
 * length, which is how Matroska stores H.264; the first SPS and PPS seen are kept for the {@code avcC} record
 * ({@link #avcDecoderConfiguration()}). An access unit with an IDR slice (type 5) is a key frame.
 */
public final class H264Depacketizer extends FrameAssembler {

    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int STAP_A = 24;
    static final int FU_A = 28;

    private final ByteArrayOutputStream fragment = new ByteArrayOutputStream();
    private boolean inFragment;
    private byte[] sps;
    private byte[] pps;

    public H264Depacketizer(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    Appended append(byte[] payload) {
        if (payload.length < 1 || (payload[0] & 0x80) != 0) {
            return Appended.CORRUPT; // forbidden_zero_bit set
        }
        int type = payload[0] & 0x1F;
        if (type >= 1 && type <= 23) {
            if (inFragment) {
                return Appended.CORRUPT;
            }
            nal(payload, 0, payload.length);
            return Appended.OK;
        }
        if (type == STAP_A) {
            int offset = 1;
            int count = 0;
            while (offset < payload.length) {
                if (offset + 2 > payload.length) {
                    return Appended.CORRUPT;
                }
                int size = (payload[offset] & 0xFF) << 8 | (payload[offset + 1] & 0xFF);
                offset += 2;
                if (size == 0 || offset + size > payload.length) {
                    return Appended.CORRUPT;
                }
                nal(payload, offset, size);
                offset += size;
                count++;
            }
            return count > 0 ? Appended.OK : Appended.CORRUPT;
        }
        if (type == FU_A) {
            if (payload.length < 3) {
                return Appended.CORRUPT;
            }
            int header = payload[1] & 0xFF;
            boolean start = (header & 0x80) != 0;
            boolean end = (header & 0x40) != 0;
            if (start && end) {
                return Appended.CORRUPT; // section 5.8: S and E must not both be set
            }
            if (start) {
                if (inFragment) {
                    return Appended.CORRUPT;
                }
                inFragment = true;
                fragment.reset();
                fragment.write((payload[0] & 0xE0) | (header & 0x1F)); // the original NAL header
            } else if (!inFragment) {
                return Appended.MISSING_START;
            }
            fragment.write(payload, 2, payload.length - 2);
            if (end) {
                inFragment = false;
                byte[] unit = fragment.toByteArray();
                nal(unit, 0, unit.length);
            }
            return Appended.OK;
        }
        return Appended.CORRUPT;
    }

    private void nal(byte[] source, int offset, int length) {
        int type = source[offset] & 0x1F;
        if (type == NAL_SPS && sps == null) {
            sps = java.util.Arrays.copyOfRange(source, offset, offset + length);
        } else if (type == NAL_PPS && pps == null) {
            pps = java.util.Arrays.copyOfRange(source, offset, offset + length);
        }
        ByteArrayOutputStream out = frameBuffer();
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(source, offset, length);
        markStarted();
    }

    @Override
    boolean isComplete() {
        return !inFragment;
    }

    @Override
    void resetFrame() {
        inFragment = false;
        fragment.reset();
    }

    @Override
    boolean isKeyframe(byte[] frame) {
        int offset = 0;
        while (offset + 4 < frame.length) {
            int length = (frame[offset] & 0xFF) << 24 | (frame[offset + 1] & 0xFF) << 16
                    | (frame[offset + 2] & 0xFF) << 8 | (frame[offset + 3] & 0xFF);
            if ((frame[offset + 4] & 0x1F) == NAL_IDR) {
                return true;
            }
            offset += 4 + length;
        }
        return false;
    }

    /** The picture size from the first SPS, or null. */
    public int[] dimensions() {
        return sps == null ? null : H264Sps.dimensions(sps);
    }

    /** Whether an SPS and a PPS have been seen, so {@link #avcDecoderConfiguration()} can be built. */
    public boolean hasParameterSets() {
        return sps != null && pps != null && sps.length >= 4;
    }

    /**
     * The {@code AVCDecoderConfigurationRecord} (ISO/IEC 14496-15 section 5.2.4.1) from the first SPS and PPS:
     * version 1, profile, compatibility and level from the SPS, 4-byte NAL lengths, one SPS, one PPS.
     */
    public byte[] avcDecoderConfiguration() {
        if (!hasParameterSets()) {
            throw new IllegalStateException("no SPS/PPS seen yet");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(sps[1]);
        out.write(sps[2]);
        out.write(sps[3]);
        out.write(0xFF); // 6 reserved bits, lengthSizeMinusOne = 3
        out.write(0xE1); // 3 reserved bits, one SPS
        out.write(sps.length >>> 8);
        out.write(sps.length);
        out.write(sps, 0, sps.length);
        out.write(1);
        out.write(pps.length >>> 8);
        out.write(pps.length);
        out.write(pps, 0, pps.length);
        return out.toByteArray();
    }
}
