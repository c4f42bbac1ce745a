package io.tribune.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tribune.sfu.media.H264Payload;
import io.tribune.sfu.media.Vp8Payload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the RTP view: any datagram is either rejected with a reason or parses into fields that survive a
 * rebuild, and the VP8 and H.264 payload parsers (key frames, SPS sizes) take any payload. Without {@code JAZZER_FUZZ=1} this runs the seeds under {@code RtpPacketFuzzTestInputs} as a
 * regression test.
 */
class RtpPacketFuzzTest {

    private record Element(int id, String data) {
    }

    @FuzzTest(maxDuration = "30s")
    void parsedPacketsSurviveARebuild(byte[] datagram) {
        RtpPacket packet = RtpPacket.parse(datagram, 0, datagram.length);
        DatagramType.of(datagram, 0, datagram.length);
        if (!packet.isWellFormed()) {
            return;
        }
        // The payload parsers the receive pipeline runs on every video packet: never an exception, sizes sane.
        H264Payload.isKeyFrame(datagram, packet.payloadOffset(), packet.payloadLength());
        int[] size = H264Payload.spsSize(datagram, packet.payloadOffset(), packet.payloadLength());
        if (size != null) {
            assertThat(size[0]).isBetween(1, 16 * 1024);
            assertThat(size[1]).isBetween(1, 32 * 1024);
        }
        Vp8Payload.parse(datagram, packet.payloadOffset(), packet.payloadLength());
        assertThat(packet.payloadOffset() + packet.payloadLength() + packet.paddingLength())
                .isEqualTo(datagram.length);
        HeaderExtensionCursor cursor = packet.extensions();
        List<Element> elements = new ArrayList<>();
        RtpPacketBuilder builder = new RtpPacketBuilder().marker(packet.marker())
                .payloadType(packet.payloadType()).sequenceNumber(packet.sequenceNumber())
                .timestamp(packet.timestamp()).ssrc(packet.ssrc()).padding(packet.paddingLength());
        while (cursor.next()) {
            byte[] data = Arrays.copyOfRange(datagram, cursor.dataOffset(), cursor.dataOffset() + cursor.dataLength());
            elements.add(new Element(cursor.id(), Hex.string(data)));
            builder.extension(cursor.id(), data);
        }
        if (cursor.isMalformed()) {
            return;
        }
        int[] csrcs = new int[packet.csrcCount()];
        for (int i = 0; i < csrcs.length; i++) {
            csrcs[i] = packet.csrc(i);
        }
        byte[] payload = Arrays.copyOfRange(datagram, packet.payloadOffset(),
                packet.payloadOffset() + packet.payloadLength());
        byte[] rebuilt = builder.csrcs(csrcs).payload(payload).build();

        RtpPacket again = RtpPacket.parse(rebuilt, 0, rebuilt.length);
        assertThat(again.isWellFormed()).isTrue();
        assertThat(again.ssrc()).isEqualTo(packet.ssrc());
        assertThat(again.sequenceNumber()).isEqualTo(packet.sequenceNumber());
        assertThat(again.timestamp()).isEqualTo(packet.timestamp());
        assertThat(again.payloadType()).isEqualTo(packet.payloadType());
        assertThat(again.marker()).isEqualTo(packet.marker());
        assertThat(again.csrcCount()).isEqualTo(packet.csrcCount());
        assertThat(again.paddingLength()).isEqualTo(packet.paddingLength());
        assertThat(Arrays.copyOfRange(rebuilt, again.payloadOffset(), again.payloadOffset() + again.payloadLength()))
                .isEqualTo(payload);
        List<Element> elementsAgain = new ArrayList<>();
        HeaderExtensionCursor cursorAgain = again.extensions();
        while (cursorAgain.next()) {
            elementsAgain.add(new Element(cursorAgain.id(), Hex.string(Arrays.copyOfRange(rebuilt,
                    cursorAgain.dataOffset(), cursorAgain.dataOffset() + cursorAgain.dataLength()))));
        }
        assertThat(elementsAgain).isEqualTo(elements);
    }
}
