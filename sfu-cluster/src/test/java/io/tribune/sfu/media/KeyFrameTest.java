package io.tribune.sfu.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Key frame detection on hand-built payloads (RFC 7741 for VP8, RFC 6184 for H.264). */
class KeyFrameTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Nested
    class Vp8 {
        /** X=1 S=1 PID=0; I=1 L=1 T=1; 15-bit picture ID 0x1234; TL0PICIDX 7; TID/KEYIDX; then the frame. */
        private final byte[] keyFrame = bytes(0x90, 0xe0, 0x80 | 0x12, 0x34, 0x07, 0x40,
                0x50, 0x2f, 0x01, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02, 0xaa);

        @Test
        void findsAKeyFrameItsSizeAndThePictureIdAndTl0PicIdx() {
            Vp8Payload vp8 = Vp8Payload.parse(keyFrame, 0, keyFrame.length);
            assertThat(vp8.isValid()).isTrue();
            assertThat(vp8.isKeyFrame()).isTrue();
            assertThat(vp8.width()).isEqualTo(1280);
            assertThat(vp8.height()).isEqualTo(720);
            assertThat(vp8.pictureIdBits()).isEqualTo(15);
            assertThat(vp8.pictureId(keyFrame)).isEqualTo(0x1234);
            assertThat(vp8.tl0PicIdx(keyFrame)).isEqualTo(7);
        }

        @Test
        void rewritesThePictureIdAndTl0PicIdxInPlace() {
            byte[] copy = keyFrame.clone();
            Vp8Payload vp8 = Vp8Payload.parse(copy, 0, copy.length);
            vp8.setPictureId(copy, 0x7ffe);
            vp8.setTl0PicIdx(copy, 200);
            Vp8Payload again = Vp8Payload.parse(copy, 0, copy.length);
            assertThat(again.pictureId(copy)).isEqualTo(0x7ffe);
            assertThat(again.tl0PicIdx(copy)).isEqualTo(200);
            assertThat(again.isKeyFrame()).isTrue();
        }

        @Test
        void aDeltaFrameOrALaterPartitionIsNoKeyFrame() {
            byte[] delta = keyFrame.clone();
            delta[6] = 0x51; // P bit set: inter frame
            assertThat(Vp8Payload.parse(delta, 0, delta.length).isKeyFrame()).isFalse();
            byte[] continuation = keyFrame.clone();
            continuation[0] = (byte) 0x80; // S=0: not the start of a partition
            assertThat(Vp8Payload.parse(continuation, 0, continuation.length).isKeyFrame()).isFalse();
        }

        @Test
        void aSevenBitPictureIdAndNoExtensionAreRead() {
            byte[] short7 = bytes(0x90, 0x80, 0x05, 0x50, 0x2f, 0x01);
            Vp8Payload vp8 = Vp8Payload.parse(short7, 0, short7.length);
            assertThat(vp8.pictureIdBits()).isEqualTo(7);
            assertThat(vp8.pictureId(short7)).isEqualTo(5);
            assertThat(vp8.isKeyFrame()).isTrue();
            assertThat(vp8.width()).isZero();
            byte[] plain = bytes(0x10, 0x50, 0x2f);
            assertThat(Vp8Payload.parse(plain, 0, plain.length).pictureIdBits()).isZero();
        }

        @Test
        void aTruncatedDescriptorIsInvalidNotAnException() {
            for (int length = 0; length < 4; length++) {
                Vp8Payload vp8 = Vp8Payload.parse(keyFrame, 0, length);
                assertThat(vp8.isKeyFrame()).isFalse();
            }
            assertThat(Vp8Payload.parse(keyFrame, 0, 2).isValid()).isFalse();
        }
    }

    @Nested
    class H264 {
        @Test
        void anIdrOrSpsInASingleNalUnitIsAKeyFrame() {
            assertThat(H264Payload.isKeyFrame(bytes(0x65, 0x88, 0x84), 0, 3)).isTrue(); // IDR slice
            assertThat(H264Payload.isKeyFrame(bytes(0x67, 0x42, 0xe0, 0x1f), 0, 4)).isTrue(); // SPS
            assertThat(H264Payload.isKeyFrame(bytes(0x41, 0x9a, 0x02), 0, 3)).isFalse(); // non-IDR slice
            assertThat(H264Payload.isKeyFrame(bytes(0x68, 0xce), 0, 2)).isFalse(); // PPS alone
        }

        @Test
        void aStapAWithSpsPpsAndIdrIsAKeyFrame() {
            byte[] stapA = bytes(0x78, 0x00, 0x04, 0x67, 0x42, 0xe0, 0x1f, 0x00, 0x02, 0x68, 0xce,
                    0x00, 0x02, 0x65, 0x88);
            assertThat(H264Payload.isKeyFrame(stapA, 0, stapA.length)).isTrue();
            byte[] ppsOnly = bytes(0x78, 0x00, 0x02, 0x68, 0xce, 0x00, 0x02, 0x06, 0x05);
            assertThat(H264Payload.isKeyFrame(ppsOnly, 0, ppsOnly.length)).isFalse();
            byte[] lying = bytes(0x78, 0x00, 0x09, 0x67, 0x42);
            assertThat(H264Payload.isKeyFrame(lying, 0, lying.length)).as("size beyond the packet").isFalse();
        }

        @Test
        void onlyTheFirstFragmentOfAnIdrInAnFuAIsAKeyFrame() {
            assertThat(H264Payload.isKeyFrame(bytes(0x7c, 0x85, 0x88), 0, 3)).isTrue(); // S=1, type 5
            assertThat(H264Payload.isKeyFrame(bytes(0x7c, 0x05, 0x88), 0, 3)).isFalse(); // middle fragment
            assertThat(H264Payload.isKeyFrame(bytes(0x7c, 0x81, 0x88), 0, 3)).isFalse(); // S=1, non-IDR
            assertThat(H264Payload.isKeyFrame(bytes(0x7c), 0, 1)).isFalse(); // truncated
            assertThat(H264Payload.isKeyFrame(new byte[0], 0, 0)).isFalse();
        }
    }
}
