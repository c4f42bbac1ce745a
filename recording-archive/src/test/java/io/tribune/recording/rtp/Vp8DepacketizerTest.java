package io.tribune.recording.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built RFC 7741 packets. */
class Vp8DepacketizerTest {

    private final Vp8Depacketizer depacketizer = new Vp8Depacketizer(1 << 20);
    private final List<MediaFrame> frames = new ArrayList<>();
    private long sequence;

    /** A key frame header (RFC 6386 section 9.1): P=0, start code, 640x360. */
    private static final byte[] KEY = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, 0x68, 0x01,
        0x55, 0x66};
    private static final byte[] INTER = {0x31, 0x00, 0x00, 0x11, 0x22};

    private void push(long timestamp, boolean marker, boolean lostBefore, byte[] descriptor, byte[] data, int from,
                      int to) {
        byte[] payload = new byte[descriptor.length + to - from];
        System.arraycopy(descriptor, 0, payload, 0, descriptor.length);
        System.arraycopy(data, from, payload, descriptor.length, to - from);
        depacketizer.push(new RtpPacket(sequence++, timestamp, marker, payload, lostBefore), frames::add);
    }

    @Test
    void assemblesAKeyFrameSentInThreePacketsWithExtendedDescriptors() {
        // X=1, S=1, PID=0; I=1 with a 15-bit PictureID (M=1); then continuation packets with S=0.
        byte[] first = {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23};
        byte[] next = {(byte) 0x80, (byte) 0x80, (byte) 0x81, 0x23};
        push(3000, false, false, first, KEY, 0, 4);
        push(3000, false, false, next, KEY, 4, 8);
        push(3000, true, false, next, KEY, 8, KEY.length);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).data()).isEqualTo(KEY);
        assertThat(frames.get(0).keyframe()).isTrue();
        assertThat(frames.get(0).timestamp()).isEqualTo(3000);
        assertThat(Vp8Depacketizer.dimensions(frames.get(0).data())).containsExactly(640, 360);
    }

    @Test
    void skipsTl0PicIdxAndTidBytes() {
        // X=1, S=1; L=1 and T=1: a TL0PICIDX byte and a TID byte follow the extension byte.
        byte[] descriptor = {(byte) 0x90, 0x60, 0x05, 0x40};
        push(0, true, false, descriptor, KEY, 0, KEY.length);
        assertThat(frames).singleElement().satisfies(f -> assertThat(f.data()).isEqualTo(KEY));
    }

    @Test
    void dropsFramesBeforeTheFirstKeyFrame() {
        push(0, true, false, new byte[] {0x10}, INTER, 0, INTER.length);
        push(3000, true, false, new byte[] {0x10}, KEY, 0, KEY.length);
        push(6000, true, false, new byte[] {0x10}, INTER, 0, INTER.length);
        assertThat(frames).extracting(MediaFrame::timestamp).containsExactly(3000L, 6000L);
        assertThat(frames.get(1).keyframe()).isFalse();
        assertThat(depacketizer.droppedFrames()).isEqualTo(1);
    }

    @Test
    void dropsAFrameThatLostAPacketAndWhatFollowsUntilTheNextKeyFrame() {
        push(0, true, false, new byte[] {0x10}, KEY, 0, KEY.length);
        push(3000, false, false, new byte[] {0x10}, INTER, 0, 2);
        push(3000, true, true, new byte[] {0x00}, INTER, 3, INTER.length); // one packet of this frame lost
        push(6000, true, false, new byte[] {0x10}, INTER, 0, INTER.length); // refers to the broken one
        push(9000, true, false, new byte[] {0x10}, KEY, 0, KEY.length);
        assertThat(frames).extracting(MediaFrame::timestamp).containsExactly(0L, 9000L);
        assertThat(depacketizer.droppedFrames()).isEqualTo(2);
    }

    @Test
    void dropsAFrameWhoseFirstPacketIsMissing() {
        push(0, true, false, new byte[] {0x10}, KEY, 0, KEY.length);
        push(3000, true, true, new byte[] {0x00}, INTER, 2, INTER.length);
        assertThat(frames).hasSize(1);
        assertThat(depacketizer.droppedFrames()).isEqualTo(1);
    }

    @Test
    void countsATruncatedDescriptorAsCorrupt() {
        depacketizer.push(new RtpPacket(0, 0, true, new byte[] {(byte) 0x90}, false), frames::add);
        depacketizer.push(new RtpPacket(1, 0, true, new byte[0], false), frames::add);
        assertThat(frames).isEmpty();
        assertThat(depacketizer.corruptPackets()).isEqualTo(2);
    }

    @Test
    void endsAFrameWithoutMarkerWhenTheTimestampChanges() {
        push(0, false, false, new byte[] {0x10}, KEY, 0, KEY.length);
        push(3000, true, false, new byte[] {0x10}, INTER, 0, INTER.length);
        assertThat(frames).extracting(MediaFrame::timestamp).containsExactly(0L, 3000L);
    }

    @Test
    void dropsAFrameLargerThanTheLimit() {
        Vp8Depacketizer small = new Vp8Depacketizer(8);
        small.push(new RtpPacket(0, 0, true, concat(new byte[] {0x10}, KEY), false), frames::add);
        assertThat(frames).isEmpty();
        assertThat(small.droppedFrames()).isEqualTo(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
