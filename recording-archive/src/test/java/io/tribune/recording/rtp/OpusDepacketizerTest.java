package io.tribune.recording.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpusDepacketizerTest {

    private final OpusDepacketizer depacketizer = new OpusDepacketizer();
    private final List<MediaFrame> frames = new ArrayList<>();

    @Test
    void eachPayloadIsOneOpusPacketTimedByItsRtpTimestamp() {
        depacketizer.push(new RtpPacket(1, 960, true, new byte[] {0x78, 0x01, 0x02}, false), frames::add);
        depacketizer.push(new RtpPacket(3, 2880, false, new byte[] {0x78, 0x03}, true), frames::add);
        assertThat(frames).extracting(MediaFrame::timestamp).containsExactly(960L, 2880L);
        assertThat(frames).allMatch(MediaFrame::keyframe);
        assertThat(frames.get(1).data()).containsExactly(0x78, 0x03);
    }

    @Test
    void skipsEmptyAndOversizedPayloads() {
        depacketizer.push(new RtpPacket(1, 0, false, new byte[0], false), frames::add);
        depacketizer.push(new RtpPacket(2, 960, false, new byte[OpusDepacketizer.MAX_PACKET_BYTES + 1], false),
                frames::add);
        assertThat(frames).isEmpty();
        assertThat(depacketizer.corruptPackets()).isEqualTo(1);
        assertThat(depacketizer.droppedFrames()).isEqualTo(1);
    }

    @Test
    void opusHeadFollowsRfc7845() {
        byte[] head = OpusDepacketizer.opusHead(2);
        assertThat(head).hasSize(19);
        assertThat(new String(Arrays.copyOf(head, 8), StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
        assertThat(head[8]).isEqualTo((byte) 1);
        assertThat(head[9]).isEqualTo((byte) 2);
        assertThat((head[12] & 0xFF) | (head[13] & 0xFF) << 8 | (head[14] & 0xFF) << 16).isEqualTo(48_000);
        assertThat(head[18]).isZero();
    }
}
