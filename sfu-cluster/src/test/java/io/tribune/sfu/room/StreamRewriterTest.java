package io.tribune.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.rtp.RtpPacketBuilder;
import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.sdp.Direction;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.sdp.SsrcPair;
import io.tribune.sfu.srtp.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamRewriterTest {

    private static final long CAMERA = 0xCAFE0001L;
    private static final long CAMERA_RTX = 0xCAFE0002L;
    private static final int VP8 = 96;
    private static final int RTX = 97;
    private static final int SUBSCRIBER_VP8 = 100;
    private static final int SUBSCRIBER_RTX = 101;

    private final List<RtpPacket> sent = new ArrayList<>();
    private StreamRewriter rewriter;
    private DownTrack down;

    private static OfferedMedia video(int vp8, int rtx, List<SsrcPair> ssrcs) {
        return new OfferedMedia("1", "video", Direction.SENDONLY, List.of(
                new Codec(vp8, "VP8", 90000, 0, Optional.empty(), List.of("nack")),
                new Codec(rtx, "rtx", 90000, 0, Optional.of("apt=" + vp8), List.of())), List.of(), ssrcs);
    }

    @BeforeEach
    void setUp() {
        Participant publisher = new Participant("pub", "Pub", "participant", Set.of("publish"), null, null, null);
        Participant subscriber = new Participant("sub", "Sub", "participant", Set.of("subscribe"), null, null, null);
        PublishedTrack track = new PublishedTrack("camera-1", publisher, TrackSource.CAMERA, "1");
        track.updateFrom(video(VP8, RTX, List.of(new SsrcPair(CAMERA, CAMERA_RTX))));
        down = subscriber.addDownTrack(track, "3");
        down.updateFrom(video(SUBSCRIBER_VP8, SUBSCRIBER_RTX, List.of()));
        rewriter = new StreamRewriter();
        rewriter.then(new ConsumerNode("capture") {
            @Override
            protected boolean consume(PacketInfo packet) {
                PacketBuffer b = packet.buffer();
                sent.add(RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength()));
                return true;
            }
        });
    }

    private void forward(long ssrc, int payloadType, int sequence, long timestamp, byte[] payload) {
        byte[] bytes = new RtpPacketBuilder().ssrc((int) ssrc).payloadType(payloadType).sequenceNumber(sequence)
                .timestamp(timestamp).payload(payload).build();
        PacketInfo packet = new PacketInfo(PacketBuffer.copyOf(bytes, 0, bytes.length), System.nanoTime());
        packet.setRtpHeader(ssrc, payloadType, sequence, timestamp);
        packet.setRoute(down);
        rewriter.process(packet);
    }

    private RtpPacket last() {
        return sent.get(sent.size() - 1);
    }

    @Test
    void putsPacketsUnderTheDownTracksSsrcAndPayloadType() {
        forward(CAMERA, VP8, 1000, 90_000, new byte[] {1, 2, 3});
        assertThat(last().ssrc() & 0xffffffffL).isEqualTo(down.ssrc());
        assertThat(last().payloadType()).isEqualTo(SUBSCRIBER_VP8);
        assertThat(last().sequenceNumber()).isEqualTo(1000);
        assertThat(last().timestamp()).isEqualTo(90_000);
    }

    @Test
    void closesTheGapLeftByAMuteSoTheSubscriberSeesNoLoss() {
        forward(CAMERA, VP8, 1000, 90_000, new byte[] {1});
        forward(CAMERA, VP8, 1001, 93_000, new byte[] {1});
        // Packets 1002..1499 were held back while muted; unmuting asks for a resync.
        down.requestResync();
        forward(CAMERA, VP8, 1500, 300_000, new byte[] {1});
        assertThat(last().sequenceNumber()).isEqualTo(1002);
        assertThat(last().timestamp()).isEqualTo(300_000);
        forward(CAMERA, VP8, 1501, 303_000, new byte[] {1});
        assertThat(last().sequenceNumber()).isEqualTo(1003);
        // The subscriber's NACK for 1003 must reach the publisher as 1501.
        assertThat((1003 - down.sequenceOffset()) & 0xffff).isEqualTo(1501);
    }

    @Test
    void continuesBothSequenceAndTimestampWhenTheSourceChanges() {
        forward(CAMERA, VP8, 65535, 4_294_967_000L, new byte[] {1});
        forward(0xBEEFL, VP8, 7, 12_345, new byte[] {1});
        assertThat(last().sequenceNumber()).isEqualTo(0);
        // At least one tick after the last timestamp, wrapping past 2^32.
        long advanced = (last().timestamp() - 4_294_967_000L) & 0xffffffffL;
        assertThat(advanced).isBetween(1L, 90_000L);
        assertThat(last().ssrc() & 0xffffffffL).isEqualTo(down.ssrc());
    }

    @Test
    void answersANackFromTheCacheWithRtx() {
        SendNodes.PacketCacher cacher = new SendNodes.PacketCacher();
        StreamRewriter cachingRewriter = new StreamRewriter();
        cachingRewriter.then(cacher);
        for (int i = 0; i < 3; i++) {
            byte[] bytes = new RtpPacketBuilder().ssrc((int) CAMERA).payloadType(VP8).sequenceNumber(500 + i)
                    .timestamp(9000).payload(new byte[] {(byte) i, 7, 7}).build();
            PacketInfo packet = new PacketInfo(PacketBuffer.copyOf(bytes, 0, bytes.length), 0);
            packet.setRtpHeader(CAMERA, VP8, 500 + i, 9000);
            packet.setRoute(down);
            cachingRewriter.process(packet);
        }
        SendNodes.RetransmissionResponder responder = new SendNodes.RetransmissionResponder();
        responder.then(new ConsumerNode("capture") {
            @Override
            protected boolean consume(PacketInfo packet) {
                PacketBuffer b = packet.buffer();
                sent.add(RtpPacket.parse(b.getBuffer(), b.getOffset(), b.getLength()));
                return true;
            }
        });
        PacketInfo request = new PacketInfo(new PacketBuffer(new byte[0], 0, 0), 0);
        // 501 was sent; 9999 never was (that one goes to the publisher, which has no transport here).
        request.setRoute(new SendNodes.ResendRequest(down, List.of(501, 9999)));
        responder.process(request);

        assertThat(sent).hasSize(1);
        RtpPacket rtx = last();
        assertThat(rtx.ssrc() & 0xffffffffL).isEqualTo(down.rtxSsrc());
        assertThat(rtx.payloadType()).isEqualTo(SUBSCRIBER_RTX);
        assertThat(rtx.timestamp()).isEqualTo(9000);
        byte[] payload = new byte[rtx.payloadLength()];
        System.arraycopy(rtx.buffer(), rtx.payloadOffset(), payload, 0, payload.length);
        assertThat(payload).containsExactly(501 >>> 8, 501 & 0xff, 1, 7, 7);
        assertThat(responder.stats().packetsOut()).isEqualTo(1);
    }

    @Test
    void translatesTheOriginalSequenceNumberInsideRtx() {
        forward(CAMERA, VP8, 1000, 90_000, new byte[] {1});
        down.requestResync();
        forward(CAMERA, VP8, 2000, 99_000, new byte[] {1});
        // Unasked RTX (the publisher's own bandwidth probes) is not forwarded.
        int sentBefore = sent.size();
        forward(CAMERA_RTX, RTX, 49, 99_000, new byte[] {(byte) (2000 >>> 8), (byte) (2000 & 0xff), 9});
        assertThat(sent).hasSize(sentBefore);
        // RTX payload: the original sequence number (RFC 4588 §4), then the original payload.
        down.requestedFromPublisher(2000);
        forward(CAMERA_RTX, RTX, 50, 99_000, new byte[] {(byte) (2000 >>> 8), (byte) (2000 & 0xff), 9});
        RtpPacket rtx = last();
        assertThat(rtx.ssrc() & 0xffffffffL).isEqualTo(down.rtxSsrc());
        assertThat(rtx.payloadType()).isEqualTo(SUBSCRIBER_RTX);
        int at = rtx.payloadOffset();
        int original = ((rtx.buffer()[at] & 0xff) << 8) | (rtx.buffer()[at + 1] & 0xff);
        assertThat(original).isEqualTo(1001);
    }
}
