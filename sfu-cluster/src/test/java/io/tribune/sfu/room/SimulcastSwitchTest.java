package io.tribune.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.media.Vp8Payload;
import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.rtp.RtpPacketBuilder;
import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.sdp.Direction;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.srtp.PacketBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The send path of one subscriber of a three-layer VP8 track: simulcast-filter, stream-rewriter and
 * vp8-picture-id-rewriter, fed packets as the publisher's receive pipeline would classify them.
 */
class SimulcastSwitchTest {

    private static final long[] SSRCS = {0x1000, 0x2000, 0x3000};
    private static final int VP8 = 96;

    private final List<byte[]> sent = new ArrayList<>();
    private final int[] sequence = {100, 5000, 30000};
    private final long[] timestamp = {1000, 500_000, 9_000_000};
    private final int[] pictureId = {10, 2000, 30000};
    private PublishedTrack track;
    private DownTrack down;
    private SendNodes.SimulcastFilter filter;
    private long nanos = 1_000_000_000L;

    private static OfferedMedia simulcastVideo(int vp8, List<String> rids) {
        return new OfferedMedia("1", "video", Direction.SENDONLY, List.of(
                new Codec(vp8, "VP8", 90000, 0, Optional.empty(), List.of("nack")),
                new Codec(vp8 + 1, "rtx", 90000, 0, Optional.of("apt=" + vp8), List.of())), List.of(), List.of(),
                rids);
    }

    @BeforeEach
    void setUp() {
        Participant publisher = new Participant("pub", "Pub", "participant", Set.of("publish"), null, null, null);
        Participant subscriber = new Participant("sub", "Sub", "participant", Set.of("subscribe"), null, null, null);
        track = new PublishedTrack("camera-1", publisher, TrackSource.CAMERA, "1");
        track.updateFrom(simulcastVideo(VP8, List.of("q", "h", "f")));
        for (int layer = 0; layer < 3; layer++) {
            PacketInfo first = new PacketInfo(new PacketBuffer(new byte[0], 0, 0), nanos);
            first.setRtpHeader(SSRCS[layer], VP8, 0, 0);
            first.setRid(List.of("q", "h", "f").get(layer));
            assertThat(track.learn(first)).isEqualTo(layer);
            track.layers().get(layer).countPacket(1000, nanos); // the publisher sends all three
        }
        down = subscriber.addDownTrack(track, "3");
        down.updateFrom(simulcastVideo(100, List.of()));
        DownlinkControl control = new DownlinkControl(subscriber);
        filter = new SendNodes.SimulcastFilter(control, Clock.systemUTC());
        filter.then(new StreamRewriter()).then(new SendNodes.Vp8PictureIdRewriter()).then(new ConsumerNode("capture") {
            @Override
            protected boolean consume(PacketInfo packet) {
                sent.add(packet.buffer().toByteArray());
                return true;
            }
        });
    }

    /** One single-packet frame of a layer; advances that layer's counters and the clock (15 fps). */
    private void frame(int layer, boolean keyFrame) {
        byte[] payload = {(byte) 0x90, (byte) 0x80, (byte) (0x80 | (pictureId[layer] >>> 8)), (byte) pictureId[layer],
            (byte) (keyFrame ? 0x50 : 0x51), 0x2f, 0x01};
        byte[] bytes = new RtpPacketBuilder().ssrc((int) SSRCS[layer]).payloadType(VP8)
                .sequenceNumber(sequence[layer]).timestamp(timestamp[layer]).marker(true).payload(payload).build();
        PacketInfo packet = new PacketInfo(PacketBuffer.copyOf(bytes, 0, bytes.length), nanos);
        packet.setRtpHeader(SSRCS[layer], VP8, sequence[layer], timestamp[layer]);
        packet.setLayer(layer);
        packet.setKeyFrame(keyFrame);
        packet.setRoute(down);
        track.layers().get(layer).countPacket(bytes.length, nanos);
        filter.process(packet);
        sequence[layer]++;
        timestamp[layer] += 6000;
        pictureId[layer] = (pictureId[layer] + 1) & 0x7fff;
    }

    /** A frame on every layer, as a simulcast publisher sends them. */
    private void allLayers(boolean keyFrameOn0, boolean keyFrameOn2) {
        frame(0, keyFrameOn0);
        frame(1, false);
        frame(2, keyFrameOn2);
        nanos += 66_666_667L;
    }

    private RtpPacket packet(int index) {
        byte[] bytes = sent.get(index);
        return RtpPacket.parse(bytes, 0, bytes.length);
    }

    private int pictureIdOf(int index) {
        RtpPacket rtp = packet(index);
        return Vp8Payload.parse(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength()).pictureId(rtp.buffer());
    }

    @Test
    void startsOnTheHighestLayerAtItsKeyFrameThenSwitchesDownOnlyAtTheLowLayersKeyFrame() {
        // No preference, the start estimate: the target is the top layer; nothing goes out before its key frame.
        allLayers(true, false);
        allLayers(false, false);
        assertThat(sent).isEmpty();
        assertThat(down.targetLayer()).isEqualTo(2);
        allLayers(false, true);
        allLayers(false, false);
        assertThat(sent).hasSize(2);
        assertThat(down.currentLayer()).isEqualTo(2);

        // The subscriber asks for 320x180: the top layer keeps flowing until the low layer's key frame.
        down.setPreference(DownTrack.Preference.from(Map.of("max_width", 320, "max_height", 180)));
        nanos += 600_000_000L;
        allLayers(false, false);
        allLayers(false, false);
        assertThat(down.targetLayer()).isZero();
        assertThat(down.currentLayer()).as("still the old layer, no key frame yet").isEqualTo(2);
        assertThat(sent).hasSize(4);
        allLayers(true, false);
        allLayers(false, false);
        assertThat(down.currentLayer()).isZero();
        assertThat(sent).hasSize(6);

        // One stream to the subscriber: one SSRC, consecutive sequence numbers and picture IDs, growing timestamps.
        for (int i = 1; i < sent.size(); i++) {
            assertThat(packet(i).ssrc() & 0xffffffffL).isEqualTo(down.ssrc());
            assertThat(packet(i).sequenceNumber()).isEqualTo((packet(i - 1).sequenceNumber() + 1) & 0xffff);
            assertThat(pictureIdOf(i)).isEqualTo((pictureIdOf(i - 1) + 1) & 0x7fff);
            assertThat((packet(i).timestamp() - packet(i - 1).timestamp()) & 0xffffffffL).isBetween(1L, 90_000L);
        }
        // The switch frame is the low layer's key frame.
        RtpPacket switched = packet(4);
        assertThat(Vp8Payload.parse(switched.buffer(), switched.payloadOffset(), switched.payloadLength())
                .isKeyFrame()).isTrue();
    }

    @Test
    void followsThePublisherWhenItStopsSendingTheCurrentLayer() {
        allLayers(false, true);
        assertThat(down.currentLayer()).isEqualTo(2);
        // The top layer goes quiet (the publisher's encoder dropped it): after 1.5 s the middle one is chosen.
        for (int i = 0; i < 40; i++) {
            frame(0, false);
            frame(1, i == 39);
            nanos += 66_666_667L;
        }
        assertThat(down.targetLayer()).isEqualTo(1);
        assertThat(down.currentLayer()).isEqualTo(1);
    }
}
