package io.tribune.recording.rtp;

/**
 * Reads the picture size from an H.264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1), which Matroska
 * needs in its track header. Only the fields before the size are parsed; scaling lists are skipped, cropping is
 * applied. Stateless.
 */
public final class H264Sps {

    private H264Sps() {
    }

    /** Width and height in pixels, or null if the SPS does not parse. */
    public static int[] dimensions(byte[] sps) {
        try {
            BitReader in = new BitReader(unescape(sps));
            in.bits(8); // NAL header
            int profile = in.bits(8);
            in.bits(16); // constraint flags, reserved, level_idc
            in.ue(); // seq_parameter_set_id
            int chromaFormat = 1;
            if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44
                    || profile == 83 || profile == 86 || profile == 118 || profile == 128 || profile == 138
                    || profile == 139 || profile == 134 || profile == 135) {
                chromaFormat = in.ue();
                if (chromaFormat == 3) {
                    in.bits(1); // separate_colour_plane_flag
                }
                in.ue(); // bit_depth_luma_minus8
                in.ue(); // bit_depth_chroma_minus8
                in.bits(1); // qpprime_y_zero_transform_bypass_flag
                if (in.bits(1) == 1) { // seq_scaling_matrix_present_flag
                    for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                        if (in.bits(1) == 1) {
                            skipScalingList(in, i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            in.ue(); // log2_max_frame_num_minus4
            int pocType = in.ue();
            if (pocType == 0) {
                in.ue();
            } else if (pocType == 1) {
                in.bits(1);
                in.se();
                in.se();
                int cycle = in.ue();
                for (int i = 0; i < cycle; i++) {
                    in.se();
                }
            }
            in.ue(); // max_num_ref_frames
            in.bits(1); // gaps_in_frame_num_value_allowed_flag
            int widthMbs = in.ue() + 1;
            int heightMapUnits = in.ue() + 1;
            int frameMbsOnly = in.bits(1);
            if (frameMbsOnly == 0) {
                in.bits(1); // mb_adaptive_frame_field_flag
            }
            in.bits(1); // direct_8x8_inference_flag
            int width = widthMbs * 16;
            int height = (2 - frameMbsOnly) * heightMapUnits * 16;
            if (in.bits(1) == 1) { // frame_cropping_flag
                int left = in.ue();
                int right = in.ue();
                int top = in.ue();
                int bottom = in.ue();
                int cropX = chromaFormat == 0 || chromaFormat == 3 ? 1 : 2;
                int cropY = (chromaFormat == 1 ? 2 : 1) * (2 - frameMbsOnly);
                width -= (left + right) * cropX;
                height -= (top + bottom) * cropY;
            }
            return width > 0 && height > 0 ? new int[] {width, height} : null;
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static void skipScalingList(BitReader in, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + in.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** Removes emulation prevention bytes (00 00 03 -> 00 00), section 7.4.1. */
    private static byte[] unescape(byte[] nal) {
        byte[] out = new byte[nal.length];
        int n = 0;
        int zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static final class BitReader {
        private final byte[] data;
        private int position;

        BitReader(byte[] data) {
            this.data = data;
        }

        int bits(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                if (position >= data.length * 8) {
                    throw new IndexOutOfBoundsException("SPS ends early");
                }
                int bit = (data[position >> 3] >> (7 - (position & 7))) & 1;
                value = (value << 1) | bit;
                position++;
            }
            return value;
        }

        /** Unsigned Exp-Golomb, section 9.1. */
        int ue() {
            int zeros = 0;
            while (bits(1) == 0) {
                if (++zeros > 31) {
                    throw new IndexOutOfBoundsException("Exp-Golomb code too long");
                }
            }
            return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : bits(zeros) & 0xFFFFFFFFL));
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
