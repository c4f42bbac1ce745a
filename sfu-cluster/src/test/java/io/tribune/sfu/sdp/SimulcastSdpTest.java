package io.tribune.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.sfu.dtls.Fingerprint;
import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.media.HeaderExtensionIds;
import io.tribune.sfu.transport.LocalTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Chromium's simulcast offer (three rids), transport-cc on both directions, and the VP8/H.264 choice. */
class SimulcastSdpTest {

    private static final LocalTransport LOCAL = new LocalTransport("ufrag1", "password0123456789abcd", true,
            Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB"),
            List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 10000, "host", null, 0)));

    /** The recorded Chromium offer with its camera turned into three simulcast streams, as Chromium 156 writes it. */
    static String simulcastOffer() throws IOException {
        String text;
        try (InputStream in = SdpTest.class.getResourceAsStream("chromium-offer.sdp")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String ssrcLines = "a=ssrc-group:FID 2001 2002\r\na=ssrc:2001 cname:Ffr3dTP5uiZR0JDK\r\n"
                + "a=ssrc:2001 msid:stream1 videotrack1\r\na=ssrc:2002 cname:Ffr3dTP5uiZR0JDK\r\n"
                + "a=ssrc:2002 msid:stream1 videotrack1\r\n";
        assertThat(text).contains(ssrcLines);
        return text.replace(ssrcLines, "a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n")
                .replace("a=mid:1\r\n", "a=mid:1\r\n"
                        + "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
                        + "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
                        + "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
                        + "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n")
                .replace("a=mid:3\r\n", "a=mid:3\r\n"
                        + "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
                        + "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n")
                .replace("a=rtcp-fb:96 ccm fir\r\na=rtpmap:97", "a=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 transport-cc\r\n"
                        + "a=rtpmap:97");
    }

    @Nested
    class WhenReadingTheOffer {
        @Test
        void listsTheSendRidsInSimulcastOrder() throws Exception {
            WebRtcOffer offer = WebRtcOffer.parse(simulcastOffer());
            OfferedMedia camera = offer.media().get(1);
            assertThat(camera.sendRids()).containsExactly("q", "h", "f");
            assertThat(camera.simulcast()).isTrue();
            assertThat(camera.ssrcs()).isEmpty();
            assertThat(offer.media().get(0).simulcast()).isFalse();
            HeaderExtensionIds ids = HeaderExtensionIds.from(offer.description());
            assertThat(ids.rid()).isEqualTo(10);
            assertThat(ids.repairedRid()).isEqualTo(11);
            assertThat(ids.transportCc()).isEqualTo(3);
        }

        @Test
        void skipsPausedStreamsAndRefusesMoreThanThree() throws Exception {
            String paused = simulcastOffer().replace("a=simulcast:send q;h;f", "a=simulcast:send q;~h;f");
            assertThat(WebRtcOffer.parse(paused).media().get(1).sendRids()).containsExactly("q", "f");
            String four = simulcastOffer().replace("a=simulcast:send q;h;f",
                    "a=rid:x send\r\na=simulcast:send q;h;f;x");
            assertThatThrownBy(() -> WebRtcOffer.parse(four)).isInstanceOf(SdpParseException.class)
                    .hasMessageContaining("at most 3 simulcast streams");
            String bad = simulcastOffer().replace("a=rid:q send", "a=rid:q!! send");
            assertThatThrownBy(() -> WebRtcOffer.parse(bad)).isInstanceOf(SdpParseException.class);
            // A stream of empty alternatives names no rid (CI's fuzzer: it once threw out of the parser).
            String empty = simulcastOffer().replace("a=simulcast:send q;h;f", "a=simulcast:send ,;h;f");
            assertThat(WebRtcOffer.parse(empty).media().get(1).sendRids()).containsExactly("h", "f");
        }
    }

    @Nested
    class WhenAnswering {
        @Test
        void echoesTheRidsAsRecvAndNegotiatesTransportCcBothWays() throws Exception {
            WebRtcOffer offer = WebRtcOffer.parse(simulcastOffer());
            Codec vp8 = CodecChoice.forPublishing(offer.media().get(1)).orElseThrow();
            SessionDescription answer = new AnswerBuilder(offer, LOCAL, 1)
                    .receiveHeaderExtensions(HeaderExtensionIds.SUPPORTED)
                    .sendHeaderExtensions(HeaderExtensionIds.SENT)
                    .receive("1", vp8)
                    .send("3", new io.tribune.sfu.sdp.SendStream("sfu", "v1", "cname", 21,
                            java.util.OptionalLong.of(22)), vp8)
                    .build();
            MediaSection camera = answer.media().get(1);
            assertThat(camera.attributes("rid")).containsExactly("q recv", "h recv", "f recv");
            assertThat(camera.attribute("simulcast")).contains("recv q;h;f");
            assertThat(camera.attributes("extmap")).containsExactly(
                    "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                    "4 urn:ietf:params:rtp-hdrext:sdes:mid", "10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
                    "11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
            assertThat(camera.attributes("rtcp-fb")).contains("96 transport-cc", "96 goog-remb");
            MediaSection down = answer.media().get(3);
            assertThat(down.attributes("extmap")).containsExactly(
                    "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
            assertThat(down.attributes("rtcp-fb")).contains("96 transport-cc");
            assertThat(down.attributes("rid")).isEmpty();
        }
    }

    @Nested
    class WhenChoosingTheVideoCodec {
        private OfferedMedia video(String... rtpmapAndFmtp) {
            List<Codec> codecs = new java.util.ArrayList<>();
            for (int i = 0; i + 1 < rtpmapAndFmtp.length; i += 2) {
                String[] map = rtpmapAndFmtp[i].split(" ");
                String fmtp = rtpmapAndFmtp[i + 1];
                codecs.add(new Codec(Integer.parseInt(map[0]), map[1], 90_000, 0,
                        fmtp.isEmpty() ? Optional.empty() : Optional.of(fmtp), List.of()));
            }
            return new OfferedMedia("1", "video", Direction.SENDONLY, codecs, List.of(), List.of());
        }

        @Test
        void takesThePublishersFirstUsableCodec() {
            OfferedMedia vp8First = video("96 VP8", "", "102 H264",
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
            assertThat(CodecChoice.forPublishing(vp8First).orElseThrow().name()).isEqualTo("VP8");
            OfferedMedia h264First = video("100 H264",
                    "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f", "102 H264",
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "96 VP8", "");
            assertThat(CodecChoice.forPublishing(h264First).orElseThrow().payloadType())
                    .as("packetization-mode=0 is skipped").isEqualTo(102);
            assertThat(CodecChoice.forPublishing(video("98 VP9", "profile-id=0"))).isEmpty();
        }

        @Test
        void matchesTheSubscribersH264ByProfileNotLevel() {
            Codec published = new Codec(102, "H264", 90_000, 0,
                    Optional.of("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"), List.of());
            OfferedMedia subscriber = video("96 VP8", "", "108 H264",
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f", "109 H264",
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e034");
            assertThat(CodecChoice.matching(subscriber, published).orElseThrow().payloadType()).isEqualTo(109);
            assertThat(CodecChoice.matching(video("96 VP8", ""), published)).isEmpty();
            Codec vp8 = new Codec(96, "VP8", 90_000, 0, Optional.empty(), List.of());
            assertThat(CodecChoice.matching(subscriber, vp8).orElseThrow().payloadType()).isEqualTo(96);
        }
    }
}
