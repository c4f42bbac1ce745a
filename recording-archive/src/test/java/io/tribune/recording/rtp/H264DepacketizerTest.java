package io.tribune.recording.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built RFC 6184 packets. */
class H264DepacketizerTest {

    private final H264Depacketizer depacketizer = new H264Depacketizer(1 << 20);
    private final List<MediaFrame> frames = new ArrayList<>();
    private long sequence;

    /** Constrained Baseline level 3.0, 320x240 (20x15 macroblocks, frame_mbs_only). */
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x05, 0x07, (byte) 0xC4};
    private static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};
    private static final byte[] IDR = {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x33, 0x44, 0x55, 0x66, 0x77};
    private static final byte[] SLICE = {0x41, (byte) 0x9A, 0x02, 0x03};

    private void push(long timestamp, boolean marker, boolean lostBefore, byte[] payload) {
        depacketizer.push(new RtpPacket(sequence++, timestamp, marker, payload, lostBefore), frames::add);
    }

    private static byte[] stapA(byte[]... units) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x78); // F=0, NRI=3, type 24
        for (byte[] unit : units) {
            out.write(unit.length >> 8);
            out.write(unit.length);
            out.writeBytes(unit);
        }
        return out.toByteArray();
    }

    /** FU-A piece of {@code unit} (header byte not included in the pieces). */
    private static byte[] fuA(byte[] unit, int from, int to, boolean start, boolean end) {
        byte[] out = new byte[2 + to - from];
        out[0] = (byte) ((unit[0] & 0xE0) | 28);
        out[1] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | (unit[0] & 0x1F));
        System.arraycopy(unit, from, out, 2, to - from);
        return out;
    }

    private static byte[] avcc(byte[]... units) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] unit : units) {
            out.write(unit.length >>> 24);
            out.write(unit.length >>> 16);
            out.write(unit.length >>> 8);
            out.write(unit.length);
            out.writeBytes(unit);
        }
        return out.toByteArray();
    }

    @Test
    void assemblesStapAParameterSetsAndAFragmentedIdrIntoOneAccessUnit() {
        push(0, false, false, stapA(SPS, PPS));
        push(0, false, false, fuA(IDR, 1, 4, true, false));
        push(0, false, false, fuA(IDR, 4, 7, false, false));
        push(0, true, false, fuA(IDR, 7, IDR.length, false, true));
        assertThat(frames).singleElement().satisfies(frame -> {
            assertThat(frame.keyframe()).isTrue();
            assertThat(frame.data()).isEqualTo(avcc(SPS, PPS, IDR));
        });
        assertThat(depacketizer.hasParameterSets()).isTrue();
        assertThat(depacketizer.dimensions()).containsExactly(320, 240);
        byte[] avcC = depacketizer.avcDecoderConfiguration();
        assertThat(avcC[0]).isEqualTo((byte) 1);
        assertThat(avcC[1]).isEqualTo(SPS[1]);
        assertThat(avcC[4] & 0x03).isEqualTo(3); // 4-byte lengths
        assertThat(avcC[5] & 0x1F).isEqualTo(1);
    }

    @Test
    void passesSingleNalUnitPacketsThrough() {
        push(0, false, false, SPS);
        push(0, false, false, PPS);
        push(0, true, false, IDR);
        push(3000, true, false, SLICE);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1).data()).isEqualTo(avcc(SLICE));
        assertThat(frames.get(1).keyframe()).isFalse();
    }

    @Test
    void dropsAnAccessUnitWhoseFragmentLostItsMiddleAndWaitsForTheNextIdr() {
        push(0, true, false, stapA(SPS, PPS, IDR));
        push(3000, false, false, fuA(SLICE, 1, 2, true, false));
        push(3000, true, true, fuA(SLICE, 3, SLICE.length, false, true));
        push(6000, true, false, SLICE);
        push(9000, true, false, IDR);
        assertThat(frames).extracting(MediaFrame::timestamp).containsExactly(0L, 9000L);
        assertThat(depacketizer.droppedFrames()).isEqualTo(2);
    }

    @Test
    void dropsAnAccessUnitWhoseLastFragmentNeverCame() {
        push(0, true, false, stapA(SPS, PPS, IDR));
        push(3000, false, false, fuA(SLICE, 1, 2, true, false));
        push(6000, true, true, IDR);
        assertThat(frames).extracting(MediaFrame::timestamp).containsExactly(0L, 6000L);
        assertThat(depacketizer.droppedFrames()).isEqualTo(1);
    }

    @Test
    void countsMalformedPayloadsAsCorrupt() {
        push(0, true, false, new byte[] {(byte) 0x80});            // forbidden bit
        push(1, true, false, new byte[] {0x78, 0x00, 0x09, 0x65});  // STAP-A size beyond the packet
        push(2, true, false, new byte[] {0x7C, (byte) 0xC5, 0x01}); // FU-A with S and E
        push(3, true, false, new byte[] {0x79, 0x00});              // STAP-B: mode 2 only
        assertThat(frames).isEmpty();
        assertThat(depacketizer.corruptPackets()).isEqualTo(4);
    }
}
