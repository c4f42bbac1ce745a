package io.tribune.sfu.load;

import io.tribune.sfu.dtls.Fingerprint;
import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.sdp.MediaSection;
import io.tribune.sfu.sdp.SdpParseException;
import io.tribune.sfu.sdp.SessionDescription;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SDP a {@link LoadPeer} sends, written as Chromium writes it (Unified Plan, one BUNDLE group, rtcp-mux,
 * Opus and VP8 with RTX), always {@code a=setup:active} so the peer is the DTLS client; and what it reads from
 * the other side's SDP (ICE credentials, fingerprint, the first UDP IPv4 candidate). Stateless.
 */
public final class LoadSdp {

    private LoadSdp() {
    }

    /** The other side's transport, from its offer or answer. */
    public record RemoteEnd(String ufrag, String password, Fingerprint fingerprint, InetSocketAddress address) {

        /** @throws SdpParseException when credentials, fingerprint or a UDP IPv4 candidate are missing */
        public static RemoteEnd of(String sdp) throws SdpParseException {
            SessionDescription description = SessionDescription.parse(sdp);
            String ufrag = null;
            String password = null;
            String fingerprint = null;
            InetSocketAddress address = null;
            for (MediaSection section : description.media()) {
                if (section.port() == 0) {
                    continue;
                }
                ufrag = ufrag != null ? ufrag : section.attribute("ice-ufrag")
                        .or(() -> description.attribute("ice-ufrag")).orElse(null);
                password = password != null ? password : section.attribute("ice-pwd")
                        .or(() -> description.attribute("ice-pwd")).orElse(null);
                fingerprint = fingerprint != null ? fingerprint : section.attribute("fingerprint")
                        .or(() -> description.attribute("fingerprint")).orElse(null);
                for (String value : section.attributes("candidate")) {
                    Optional<IceCandidate> candidate = IceCandidate.parse(value);
                    if (address == null && candidate.isPresent() && candidate.get().transport().equalsIgnoreCase("udp")
                            && candidate.get().address().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                        address = new InetSocketAddress(candidate.get().address(), candidate.get().port());
                    }
                }
            }
            if (ufrag == null || password == null || fingerprint == null || address == null) {
                throw new SdpParseException("the remote SDP lacks ICE credentials, a fingerprint or a UDP IPv4"
                        + " candidate");
            }
            return new RemoteEnd(ufrag.trim(), password.trim(), Fingerprint.parse(fingerprint.trim()), address);
        }
    }

    /** An offer that publishes {@code media}: audio on mid 0, video (VP8 + RTX) on mid 1, both sendonly. */
    public static String publisherOffer(LoadPeer peer, PublishedMedia media) throws IOException {
        StringBuilder sdp = session(List.of("0", "1"));
        String stream = "load-" + peer.name();
        section(sdp, peer, "audio", "0", "sendonly", true);
        sdp.append("a=msid:").append(stream).append(" audio\r\n");
        opus(sdp);
        ssrc(sdp, media.audioSsrc(), stream, "audio");
        section(sdp, peer, "video", "1", "sendonly", false);
        sdp.append("a=msid:").append(stream).append(" video\r\n");
        vp8(sdp);
        sdp.append("a=ssrc-group:FID ").append(media.videoSsrc()).append(' ').append(media.videoRtxSsrc())
                .append("\r\n");
        ssrc(sdp, media.videoSsrc(), stream, "video");
        ssrc(sdp, media.videoRtxSsrc(), stream, "video");
        return sdp.toString();
    }

    /** An offer of {@code audio} recvonly audio sections, then {@code video} recvonly video sections. */
    public static String receiverOffer(LoadPeer peer, int audio, int video) throws IOException {
        List<String> mids = new ArrayList<>();
        for (int i = 0; i < audio + video; i++) {
            mids.add(Integer.toString(i));
        }
        StringBuilder sdp = session(mids);
        for (int i = 0; i < audio + video; i++) {
            boolean isAudio = i < audio;
            section(sdp, peer, isAudio ? "audio" : "video", mids.get(i), "recvonly", i == 0);
            if (isAudio) {
                opus(sdp);
            } else {
                vp8(sdp);
            }
        }
        return sdp.toString();
    }

    /**
     * Answers an offer that sends us media (a subscriber's offer from Janus): every offered audio or video section
     * is accepted recvonly with the offer's payload types and rtpmap/fmtp/rtcp-fb lines; anything else is
     * rejected (port 0).
     */
    public static String receiverAnswer(String offerSdp, LoadPeer peer) throws IOException, SdpParseException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        List<String> accepted = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        boolean first = true;
        for (MediaSection section : offer.media()) {
            String mid = section.attribute("mid").orElse(Integer.toString(accepted.size()));
            boolean media = section.kind().equals("audio") || section.kind().equals("video");
            if (!media || section.port() == 0) {
                body.append("m=").append(section.kind()).append(" 0 ").append(section.protocol()).append(' ')
                        .append(String.join(" ", section.formats())).append("\r\n")
                        .append("c=IN IP4 0.0.0.0\r\n").append("a=mid:").append(mid).append("\r\n")
                        .append("a=inactive\r\n");
                continue;
            }
            accepted.add(mid);
            StringBuilder one = new StringBuilder();
            one.append("m=").append(section.kind()).append(" 9 UDP/TLS/RTP/SAVPF ")
                    .append(String.join(" ", section.formats())).append("\r\n");
            transportLines(one, peer, mid, "recvonly", first);
            first = false;
            for (String name : List.of("rtpmap", "fmtp", "rtcp-fb")) {
                for (String value : section.attributes(name)) {
                    one.append("a=").append(name).append(':').append(value).append("\r\n");
                }
            }
            body.append(one);
        }
        StringBuilder sdp = session(accepted);
        return sdp.append(body).toString();
    }

    private static StringBuilder session(List<String> bundle) {
        StringBuilder sdp = new StringBuilder();
        sdp.append("v=0\r\n")
                .append("o=- ").append(System.nanoTime() & Long.MAX_VALUE).append(" 2 IN IP4 127.0.0.1\r\n")
                .append("s=-\r\nt=0 0\r\n")
                .append("a=group:BUNDLE ").append(String.join(" ", bundle)).append("\r\n")
                .append("a=msid-semantic: WMS *\r\n");
        return sdp;
    }

    private static void section(StringBuilder sdp, LoadPeer peer, String kind, String mid, String direction,
                                boolean withCandidate) throws IOException {
        sdp.append("m=").append(kind).append(" 9 UDP/TLS/RTP/SAVPF ")
                .append(kind.equals("audio") ? "111" : "96 97").append("\r\n");
        transportLines(sdp, peer, mid, direction, withCandidate);
    }

    private static void transportLines(StringBuilder sdp, LoadPeer peer, String mid, String direction,
                                       boolean withCandidate) throws IOException {
        InetSocketAddress local = peer.localAddress();
        sdp.append("c=IN IP4 ").append(local.getAddress().getHostAddress()).append("\r\n")
                .append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
        if (withCandidate) {
            sdp.append("a=candidate:1 1 udp ").append(StunMessages.HOST_PRIORITY).append(' ')
                    .append(local.getAddress().getHostAddress()).append(' ').append(local.getPort())
                    .append(" typ host\r\n");
        }
        sdp.append("a=ice-ufrag:").append(peer.ufrag()).append("\r\n")
                .append("a=ice-pwd:").append(peer.password()).append("\r\n")
                .append("a=fingerprint:").append(peer.fingerprint().toSdpValue()).append("\r\n")
                .append("a=setup:active\r\n")
                .append("a=mid:").append(mid).append("\r\n")
                .append("a=").append(direction).append("\r\n")
                .append("a=rtcp-mux\r\n")
                .append("a=rtcp-rsize\r\n");
    }

    private static void opus(StringBuilder sdp) {
        sdp.append("a=rtpmap:111 opus/48000/2\r\n").append("a=fmtp:111 minptime=10;useinbandfec=1\r\n");
    }

    private static void vp8(StringBuilder sdp) {
        sdp.append("a=rtpmap:96 VP8/90000\r\n")
                .append("a=rtcp-fb:96 ccm fir\r\n")
                .append("a=rtcp-fb:96 nack\r\n")
                .append("a=rtcp-fb:96 nack pli\r\n")
                .append("a=rtpmap:97 rtx/90000\r\n")
                .append("a=fmtp:97 apt=96\r\n");
    }

    private static void ssrc(StringBuilder sdp, long ssrc, String stream, String track) {
        sdp.append("a=ssrc:").append(ssrc).append(" cname:").append(stream).append("\r\n")
                .append("a=ssrc:").append(ssrc).append(" msid:").append(stream).append(' ').append(track)
                .append("\r\n");
    }
}
