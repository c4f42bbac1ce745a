package io.tribune.sfu.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.rtp.RtpPacketBuilder;
import io.tribune.sfu.sdp.SessionDescription;
import io.tribune.sfu.srtp.PacketBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HeaderExtensionTest {

    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7};

    private static PacketInfo packet(byte[] bytes) {
        return new PacketInfo(PacketBuffer.copyOf(bytes, 0, bytes.length), 0);
    }

    private static byte[] withExtensions() {
        return new RtpPacketBuilder().payloadType(111).sequenceNumber(5).timestamp(960).ssrc(0x1234)
                .extension(1, new byte[] {(byte) (0x80 | 42)})
                .extension(4, "1".getBytes(StandardCharsets.US_ASCII))
                .extension(10, "h".getBytes(StandardCharsets.US_ASCII))
                .payload(PAYLOAD).build();
    }

    @Test
    void readsMidRidAndAudioLevelWithTheNegotiatedIds() {
        PacketInfo packet = packet(withExtensions());
        new HeaderExtensionReader(() -> new HeaderExtensionIds(4, 10, 1)).process(packet);
        assertThat(packet.mid()).isEqualTo("1");
        assertThat(packet.rid()).isEqualTo("h");
        assertThat(packet.audioLevel()).isEqualTo(42);
        assertThat(packet.voiceActivity()).isTrue();
    }

    @Test
    void ignoresExtensionsThatWereNotNegotiated() {
        PacketInfo packet = packet(withExtensions());
        new HeaderExtensionReader(() -> HeaderExtensionIds.NONE).process(packet);
        assertThat(packet.mid()).isNull();
        assertThat(packet.audioLevel()).isEqualTo(PacketInfo.NO_AUDIO_LEVEL);
    }

    @Test
    void stripperRemovesTheExtensionBlockAndKeepsHeaderAndPayload() {
        PacketInfo packet = packet(withExtensions());
        HeaderExtensionStripper stripper = new HeaderExtensionStripper();
        stripper.process(packet);
        PacketBuffer b = packet.buffer();
        RtpPacket rtp = RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength());
        assertThat(rtp.isWellFormed()).isTrue();
        assertThat(rtp.hasExtension()).isFalse();
        assertThat(rtp.ssrc()).isEqualTo(0x1234);
        assertThat(rtp.sequenceNumber()).isEqualTo(5);
        assertThat(b.getLength()).isEqualTo(RtpPacket.FIXED_HEADER_LENGTH + PAYLOAD.length);
        byte[] payload = new byte[rtp.payloadLength()];
        System.arraycopy(b.getBuffer(), rtp.payloadOffset(), payload, 0, payload.length);
        assertThat(payload).isEqualTo(PAYLOAD);
    }

    @Test
    void idsComeFromTheOffersExtmapLines() throws Exception {
        String sdp = Files.readString(Path.of("src/test/resources/io/tribune/sfu/sdp/chromium-offer.sdp"));
        HeaderExtensionIds ids = HeaderExtensionIds.from(SessionDescription.parse(sdp));
        // This offer maps the audio level to 1 and has no mid extension.
        assertThat(ids.audioLevel()).isEqualTo(1);
        assertThat(ids.mid()).isEqualTo(-1);
    }
}
