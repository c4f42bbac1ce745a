package io.tribune.sfu.media;

/**
 * The picture size from an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1, §7.4.2.1.1): the fields up to
 * the frame cropping are read (with the high profiles' chroma format and scaling lists), emulation prevention
 * bytes removed on the fly. The SFU learns each H.264 simulcast layer's size from the SPS that precedes its key
 * frames, as it learns VP8's from the key frame header.
 *
 * <p>Stateless and thread-safe.
 */
public final class H264Sps {

    private static final int MAX_MACROBLOCKS_PER_SIDE = 1024;

    private H264Sps() {
    }

    /**
     * The cropped width and height coded in the SPS NAL unit {@code buf[off, off + len)} (header byte included),
     * or null when it is not a well-formed SPS.
     */
    public static int[] size(byte[] buf, int off, int len) {
        if (len < 4 || (buf[off] & 0x1f) != H264Payload.SPS) {
            return null;
        }
        try {
            Bits bits = new Bits(buf, off + 1, off + len);
            int profile = bits.bits(8);
            bits.bits(16); // constraint flags, level
            bits.unsigned(); // seq_parameter_set_id
            int chromaFormat = 1;
            boolean separateColourPlanes = false;
            if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44
                    || profile == 83 || profile == 86 || profile == 118 || profile == 128 || profile == 138
                    || profile == 139 || profile == 134 || profile == 135) {
                chromaFormat = bits.unsigned();
                if (chromaFormat > 3) {
                    return null;
                }
                if (chromaFormat == 3) {
                    separateColourPlanes = bits.bits(1) == 1;
                }
                bits.unsigned(); // bit_depth_luma_minus8
                bits.unsigned(); // bit_depth_chroma_minus8
                bits.bits(1); // qpprime_y_zero_transform_bypass_flag
                if (bits.bits(1) == 1) {
                    int lists = chromaFormat != 3 ? 8 : 12;
                    for (int i = 0; i < lists; i++) {
                        if (bits.bits(1) == 1) {
                            skipScalingList(bits, i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            bits.unsigned(); // log2_max_frame_num_minus4
            int pocType = bits.unsigned();
            if (pocType == 0) {
                bits.unsigned(); // log2_max_pic_order_cnt_lsb_minus4
            } else if (pocType == 1) {
                bits.bits(1); // delta_pic_order_always_zero_flag
                bits.signed(); // offset_for_non_ref_pic
                bits.signed(); // offset_for_top_to_bottom_field
                int cycle = bits.unsigned();
                if (cycle > 255) {
                    return null;
                }
                for (int i = 0; i < cycle; i++) {
                    bits.signed();
                }
            } else if (pocType != 2) {
                return null;
            }
            bits.unsigned(); // max_num_ref_frames
            bits.bits(1); // gaps_in_frame_num_value_allowed_flag
            int widthMbs = bits.unsigned() + 1;
            int heightMapUnits = bits.unsigned() + 1;
            int frameMbsOnly = bits.bits(1);
            if (frameMbsOnly == 0) {
                bits.bits(1); // mb_adaptive_frame_field_flag
            }
            bits.bits(1); // direct_8x8_inference_flag
            int width = widthMbs * 16;
            int height = (2 - frameMbsOnly) * heightMapUnits * 16;
            if (widthMbs > MAX_MACROBLOCKS_PER_SIDE || heightMapUnits > MAX_MACROBLOCKS_PER_SIDE) {
                return null;
            }
            if (bits.bits(1) == 1) {
                int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
                int cropX = chromaArrayType == 0 ? 1 : (chromaArrayType == 3 ? 1 : 2);
                int cropY = (chromaArrayType == 1 ? 2 : 1) * (2 - frameMbsOnly);
                long left = bits.unsigned();
                long right = bits.unsigned();
                long top = bits.unsigned();
                long bottom = bits.unsigned();
                width -= (int) Math.min(width, cropX * (left + right));
                height -= (int) Math.min(height, cropY * (top + bottom));
            }
            return width > 0 && height > 0 ? new int[] {width, height} : null;
        } catch (IndexOutOfBoundsException e) {
            // Ran past the unit's end: truncated or not an SPS.
            return null;
        }
    }

    /** §7.3.2.1.1.1: the list's deltas, read and dropped. */
    private static void skipScalingList(Bits bits, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + bits.signed() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** A bit reader over an RBSP, skipping emulation prevention bytes (00 00 03). */
    private static final class Bits {
        private final byte[] buf;
        private final int end;
        private int at;
        private int bit;
        private int zeros;

        Bits(byte[] buf, int start, int end) {
            this.buf = buf;
            this.at = start;
            this.end = end;
        }

        int bits(int n) {
            int value = 0;
            for (int i = 0; i < n; i++) {
                value = (value << 1) | bit();
            }
            return value;
        }

        private int bit() {
            if (bit == 0) {
                if (at >= end) {
                    throw new IndexOutOfBoundsException("past the SPS");
                }
                if (zeros >= 2 && buf[at] == 3) {
                    at++;
                    zeros = 0;
                    if (at >= end) {
                        throw new IndexOutOfBoundsException("past the SPS");
                    }
                }
                zeros = buf[at] == 0 ? zeros + 1 : 0;
            }
            int value = (buf[at] >> (7 - bit)) & 1;
            if (++bit == 8) {
                bit = 0;
                at++;
            }
            return value;
        }

        /** ue(v), §9.1; at most 31 leading zeros. */
        int unsigned() {
            int leadingZeros = 0;
            while (bit() == 0) {
                if (++leadingZeros > 31) {
                    throw new IndexOutOfBoundsException("Exp-Golomb code too long");
                }
            }
            long suffix = leadingZeros == 0 ? 0 : Integer.toUnsignedLong(bits(leadingZeros));
            long value = (1L << leadingZeros) - 1 + suffix;
            if (value > Integer.MAX_VALUE) {
                throw new IndexOutOfBoundsException("Exp-Golomb value too large");
            }
            return (int) value;
        }

        /** se(v), §9.1.1. */
        int signed() {
            int k = unsigned();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
