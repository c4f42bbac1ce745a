package io.tribune.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.tribune.sfu.dtls.Fingerprint;
import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.transport.LocalTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SdpTest {

    private static String chromiumOffer() throws IOException {
        try (InputStream in = SdpTest.class.getResourceAsStream("chromium-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final LocalTransport LOCAL = new LocalTransport("ufrag1", "password0123456789abcd", true,
            Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB"),
            List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 10000, "host", null, 0)));

    @Nested
    class WhenParsingText {

        @Test
        void roundTripsAChromiumOfferLineForLine() throws Exception {
            String text = chromiumOffer();

            SessionDescription sdp = SessionDescription.parse(text);

            assertThat(sdp.toString()).isEqualTo(text);
            assertThat(sdp.media()).hasSize(4);
            assertThat(sdp.media().get(1).formats()).containsExactly("96", "97", "98", "99");
        }

        @Test
        void acceptsBareLineFeeds() throws Exception {
            SessionDescription sdp = SessionDescription.parse("v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\n");

            assertThat(sdp.sessionLines()).hasSize(4);
        }

        @Test
        void rejectsTextThatIsNotSdp() {
            assertThatThrownBy(() -> SessionDescription.parse("")).isInstanceOf(SdpParseException.class);
            assertThatThrownBy(() -> SessionDescription.parse("o=- 1 2 IN IP4 0.0.0.0\r\n"))
                    .hasMessageContaining("v=0");
            assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nhello\r\n"))
                    .hasMessageContaining("line 2");
            assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nm=audio x RTP/AVP 0\r\n"))
                    .hasMessageContaining("port");
            assertThatThrownBy(() -> SessionDescription.parse("v=0\r\n\r\ns=-\r\n"))
                    .hasMessageContaining("empty line");
        }
    }

    @Nested
    class WhenReadingAnOffer {

        @Test
        void readsTransportMediaCodecsAndSsrcs() throws Exception {
            WebRtcOffer offer = WebRtcOffer.parse(chromiumOffer());

            assertThat(offer.transport().iceUfrag()).isEqualTo("VXo5");
            assertThat(offer.transport().icePassword()).isEqualTo("f5qLIEwkUIL0Y6+GA7MCb9e7");
            assertThat(offer.transport().fingerprint().value()).startsWith("40:A1:76");
            // The mDNS candidate parses but the IPv4 and IPv6 ones are the usable ones.
            assertThat(offer.transport().candidates()).extracting(IceCandidate::address)
                    .containsExactly("127.0.0.1", "::1", "abcd.local");
            assertThat(offer.media()).extracting(OfferedMedia::mid, OfferedMedia::kind, OfferedMedia::direction)
                    .containsExactly(
                            tuple("0", "audio", Direction.SENDONLY),
                            tuple("1", "video", Direction.SENDONLY),
                            tuple("2", "audio", Direction.RECVONLY),
                            tuple("3", "video", Direction.RECVONLY));
            OfferedMedia video = offer.media().get(1);
            Codec vp8 = video.codec("vp8").orElseThrow();
            assertThat(vp8.payloadType()).isEqualTo(96);
            assertThat(vp8.clockRate()).isEqualTo(90000);
            assertThat(vp8.feedback()).contains("nack", "nack pli", "ccm fir");
            assertThat(video.rtxFor(96).orElseThrow().payloadType()).isEqualTo(97);
            assertThat(video.ssrcs()).containsExactly(2001L, 2002L);
            assertThat(video.rtxSsrcs()).containsExactly(new SsrcPair(2001, 2002));
            assertThat(offer.media().get(0).codec("opus").orElseThrow().channels()).isEqualTo(2);
        }

        @Test
        void requiresBundleRtcpMuxAndAFingerprint() throws Exception {
            String offer = chromiumOffer();

            assertThatThrownBy(() -> WebRtcOffer.parse(offer.replace("a=group:BUNDLE 0 1 2 3\r\n", "")))
                    .hasMessageContaining("BUNDLE");
            assertThatThrownBy(() -> WebRtcOffer.parse(offer.replace("a=rtcp-mux\r\n", "")))
                    .hasMessageContaining("rtcp-mux");
            assertThatThrownBy(() -> WebRtcOffer.parse(offer.replaceAll("a=fingerprint:[^\r]*\r\n", "")))
                    .hasMessageContaining("fingerprint");
            assertThatThrownBy(() -> WebRtcOffer.parse(offer.replace("a=setup:actpass", "a=setup:passive")))
                    .hasMessageContaining("setup");
        }
    }

    @Nested
    class WhenAnswering {

        private SessionDescription loopbackAnswer() throws Exception {
            WebRtcOffer offer = WebRtcOffer.parse(chromiumOffer());
            return new AnswerBuilder(offer, LOCAL, 42)
                    .receive("0", "opus")
                    .receive("1", "VP8")
                    .send("2", new SendStream("sfu", "a1", "sfu-cname", 11, OptionalLong.empty()), "opus")
                    .send("3", new SendStream("sfu", "v1", "sfu-cname", 21, OptionalLong.of(22)), "VP8")
                    .build();
        }

        @Test
        void answersEverySectionInOrderUnderOneBundle() throws Exception {
            SessionDescription answer = loopbackAnswer();

            assertThat(answer.attributes("group")).containsExactly("BUNDLE 0 1 2 3");
            assertThat(answer.attribute("ice-lite")).isPresent();
            assertThat(answer.media()).extracting(MediaSection::port).containsOnly(10000);
            for (MediaSection section : answer.media()) {
                assertThat(section.attribute("setup")).contains("passive");
                assertThat(section.attribute("ice-ufrag")).contains("ufrag1");
                assertThat(section.attribute("fingerprint")).contains(LOCAL.fingerprint().toSdpValue());
                assertThat(section.hasAttribute("rtcp-mux")).isTrue();
                assertThat(section.attributes("candidate")).containsExactly(
                        "1 1 udp 2130706431 127.0.0.1 10000 typ host");
            }
        }

        @Test
        void mirrorsDirectionsAndKeepsTheOfferedPayloadTypes() throws Exception {
            SessionDescription answer = loopbackAnswer();

            assertThat(answer.media()).extracting(s -> s.attribute("mid").orElseThrow(), MediaSection::formats)
                    .containsExactly(
                            tuple("0", List.of("111")),
                            tuple("1", List.of("96", "97")),
                            tuple("2", List.of("111")),
                            tuple("3", List.of("96", "97")));
            assertThat(answer.media().get(0).hasAttribute("recvonly")).isTrue();
            assertThat(answer.media().get(3).hasAttribute("sendonly")).isTrue();
            assertThat(answer.media().get(1).attributes("rtcp-fb"))
                    .containsExactly("96 goog-remb", "96 ccm fir", "96 nack", "96 nack pli");
            assertThat(answer.media().get(1).attributes("fmtp")).containsExactly("97 apt=96");
        }

        @Test
        void listsTheMediaSsrcBeforeItsRtxSsrc() throws Exception {
            MediaSection video = loopbackAnswer().media().get(3);

            assertThat(video.attributes("ssrc-group")).containsExactly("FID 21 22");
            assertThat(video.attributes("ssrc")).containsExactly("21 cname:sfu-cname", "21 msid:sfu v1",
                    "22 cname:sfu-cname", "22 msid:sfu v1");
            assertThat(video.attribute("msid")).contains("sfu v1");
        }

        @Test
        void rejectsSectionsItWasNotToldAboutOrCannotDecode() throws Exception {
            WebRtcOffer offer = WebRtcOffer.parse(chromiumOffer());

            SessionDescription answer = new AnswerBuilder(offer, LOCAL, 1).receive("0", "opus")
                    .receive("1", "H264").build();

            assertThat(answer.attributes("group")).containsExactly("BUNDLE 0");
            assertThat(answer.media()).extracting(MediaSection::port).containsExactly(10000, 0, 0, 0);
            assertThat(answer.media().get(1).hasAttribute("inactive")).isTrue();
        }

        @Test
        void producesTextThatParsesBackAsTheSameAnswer() throws Exception {
            SessionDescription answer = loopbackAnswer();

            assertThat(SessionDescription.parse(answer.toString())).isEqualTo(answer);
        }
    }
}
