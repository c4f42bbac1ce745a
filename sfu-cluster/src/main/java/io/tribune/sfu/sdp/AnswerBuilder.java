package io.tribune.sfu.sdp;

import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.transport.LocalTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the SFU's answer to a {@link WebRtcOffer}: one section per offered section, in order (RFC 8829 §5.3),
 * BUNDLE over the accepted ones, rtcp-mux, our ICE credentials, fingerprint and candidates in each, and
 * {@code a=setup:passive}. The shape is the one Chromium accepted in shared/probes/webrtc.md.
 *
 * <p>For each mid, say which codecs we accept (their RTX comes along) and, where we send, the stream. Sections we
 * say nothing about, or whose codecs we do not support, are rejected (port 0, RFC 8843 §7.3.3).
 *
 * <p>Not thread-safe; build one answer per builder.
 */
public final class AnswerBuilder {

    /** Feedback we implement for video (goog-remb: the REMB that caps what a publisher sends). */
    private static final Set<String> VIDEO_FEEDBACK =
            Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
    /** Feedback we implement for audio: only transport-wide congestion control. */
    private static final Set<String> AUDIO_FEEDBACK = Set.of("transport-cc");
    /** draft-holmer-rmcat-transport-wide-cc-extensions-01: transport-cc feedback needs this extension. */
    public static final String TRANSPORT_CC_URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    private final WebRtcOffer offer;
    private final LocalTransport local;
    private final long sessionId;
    private final Map<String, List<String>> codecsByMid = new HashMap<>();
    private final Map<String, Integer> payloadTypeByMid = new HashMap<>();
    private final Map<String, SendStream> sendByMid = new HashMap<>();
    private final Map<String, Boolean> receiveByMid = new HashMap<>();
    private Set<String> receiveExtensions = Set.of();
    private Set<String> sendExtensions = Set.of();

    /** @param sessionId the {@code o=} session id: random, at most 63 bits (RFC 8866 §5.2) */
    public AnswerBuilder(WebRtcOffer offer, LocalTransport local, long sessionId) {
        this.offer = offer;
        this.local = local;
        this.sessionId = sessionId;
    }

    /** Accepts what the offerer sends on this mid, with the first offered codec of these names. */
    public AnswerBuilder receive(String mid, String... codecNames) {
        codecsByMid.put(mid, List.of(codecNames));
        receiveByMid.put(mid, true);
        return this;
    }

    /** Accepts what the offerer sends on this mid with exactly this offered codec (and its RTX). */
    public AnswerBuilder receive(String mid, Codec codec) {
        payloadTypeByMid.put(mid, codec.payloadType());
        receiveByMid.put(mid, true);
        return this;
    }

    /** Sends this stream on this mid with exactly this offered codec (and its RTX). */
    public AnswerBuilder send(String mid, SendStream stream, Codec codec) {
        payloadTypeByMid.put(mid, codec.payloadType());
        sendByMid.put(mid, stream);
        return this;
    }

    /** Sends this stream on this mid, with the first offered codec of these names. */
    public AnswerBuilder send(String mid, SendStream stream, String... codecNames) {
        codecsByMid.put(mid, List.of(codecNames));
        sendByMid.put(mid, stream);
        return this;
    }

    /**
     * Header extensions (RFC 8285) to accept, by URI, on the sections we receive on: their offered
     * {@code a=extmap} lines are echoed with the offered ids.
     */
    public AnswerBuilder receiveHeaderExtensions(Set<String> uris) {
        this.receiveExtensions = Set.copyOf(uris);
        return this;
    }

    /**
     * Header extensions to negotiate on the sections we send on: only those the send path writes itself
     * (transport-wide sequence numbers); a forwarded packet's own extensions are stripped, so they cannot be
     * misread by the receiver.
     */
    public AnswerBuilder sendHeaderExtensions(Set<String> uris) {
        this.sendExtensions = Set.copyOf(uris);
        return this;
    }

    public SessionDescription build() {
        List<MediaSection> sections = new ArrayList<>();
        List<String> bundled = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            OfferedMedia offered = offer.media().get(i);
            MediaSection offeredSection = offer.description().media().get(i);
            List<Codec> codecs = chosenCodecs(offered);
            boolean weSend = sendByMid.containsKey(offered.mid()) && offered.direction().receives();
            boolean weReceive = receiveByMid.containsKey(offered.mid()) && offered.direction().sends();
            if (codecs.isEmpty() || !(weSend || weReceive)) {
                sections.add(rejected(offeredSection, offered));
                continue;
            }
            bundled.add(offered.mid());
            sections.add(accepted(offeredSection, offered, codecs, Direction.of(weSend, weReceive)));
        }
        List<SdpLine> session = new ArrayList<>();
        session.add(new SdpLine('v', "0"));
        session.add(new SdpLine('o', "- " + sessionId + " 2 IN IP4 127.0.0.1"));
        session.add(new SdpLine('s', "-"));
        session.add(new SdpLine('t', "0 0"));
        session.add(SdpLine.attribute("group", "BUNDLE" + (bundled.isEmpty() ? "" : " " + String.join(" ", bundled))));
        if (local.iceLite()) {
            session.add(SdpLine.attribute("ice-lite"));
        }
        session.add(SdpLine.attribute("msid-semantic", " WMS *"));
        return new SessionDescription(session, sections);
    }

    private List<Codec> chosenCodecs(OfferedMedia offered) {
        List<Codec> out = new ArrayList<>();
        Integer payloadType = payloadTypeByMid.get(offered.mid());
        if (payloadType != null) {
            offered.codecs().stream().filter(c -> c.payloadType() == payloadType).findFirst().ifPresent(codec -> {
                out.add(codec);
                offered.rtxFor(codec.payloadType()).ifPresent(out::add);
            });
            return out;
        }
        for (String name : codecsByMid.getOrDefault(offered.mid(), List.of())) {
            offered.codec(name).ifPresent(codec -> {
                out.add(codec);
                offered.rtxFor(codec.payloadType()).ifPresent(out::add);
            });
        }
        return out;
    }

    private static MediaSection rejected(MediaSection offeredSection, OfferedMedia offered) {
        return new MediaSection(offeredSection.kind(), 0, offeredSection.protocol(), offeredSection.formats(),
                List.of(SdpLine.attribute("mid", offered.mid()), SdpLine.attribute("inactive")));
    }

    private MediaSection accepted(MediaSection offeredSection, OfferedMedia offered, List<Codec> codecs,
                                  Direction direction) {
        IceCandidate first = local.candidates().get(0);
        String addressType = first.address().contains(":") ? "IP6" : "IP4";
        List<SdpLine> lines = new ArrayList<>();
        lines.add(new SdpLine('c', "IN " + addressType + " " + first.address()));
        lines.add(SdpLine.attribute("rtcp", first.port() + " IN " + addressType + " " + first.address()));
        lines.add(SdpLine.attribute("ice-ufrag", local.iceUfrag()));
        lines.add(SdpLine.attribute("ice-pwd", local.icePassword()));
        lines.add(SdpLine.attribute("fingerprint", local.fingerprint().toSdpValue()));
        lines.add(SdpLine.attribute("setup", "passive"));
        lines.add(SdpLine.attribute("mid", offered.mid()));
        lines.add(SdpLine.attribute(direction.attribute()));
        lines.add(SdpLine.attribute("rtcp-mux"));
        if (offeredSection.hasAttribute("rtcp-rsize")) {
            lines.add(SdpLine.attribute("rtcp-rsize"));
        }
        Set<String> extensions = direction == Direction.RECVONLY ? receiveExtensions : sendExtensions;
        for (String extmap : offeredSection.attributes("extmap")) {
            String[] parts = extmap.trim().split("\\s+");
            if (parts.length >= 2 && extensions.contains(parts[1])) {
                lines.add(SdpLine.attribute("extmap", parts[0].split("/")[0] + " " + parts[1]));
            }
        }
        List<String> formats = new ArrayList<>();
        for (Codec codec : codecs) {
            formats.add(Integer.toString(codec.payloadType()));
            lines.add(SdpLine.attribute("rtpmap", codec.rtpmapValue()));
            codec.parameters().ifPresent(p -> lines.add(SdpLine.attribute("fmtp", codec.payloadType() + " " + p)));
            if (!codec.is("rtx")) {
                Set<String> implemented = offered.kind().equals("video") ? VIDEO_FEEDBACK : AUDIO_FEEDBACK;
                for (String feedback : codec.feedback()) {
                    if (implemented.contains(feedback)
                            && (!feedback.equals("transport-cc") || extensions.contains(TRANSPORT_CC_URI))) {
                        lines.add(SdpLine.attribute("rtcp-fb", codec.payloadType() + " " + feedback));
                    }
                }
            }
        }
        if (direction.sends()) {
            addSendStream(lines, sendByMid.get(offered.mid()));
        }
        if (direction == Direction.RECVONLY && offered.simulcast()) {
            // RFC 8853 §5.3: the answerer receives the offered streams, echoing each rid as recv.
            for (String rid : offered.sendRids()) {
                lines.add(SdpLine.attribute("rid", rid + " recv"));
            }
            lines.add(SdpLine.attribute("simulcast", "recv " + String.join(";", offered.sendRids())));
        }
        for (IceCandidate candidate : local.candidates()) {
            lines.add(new SdpLine('a', candidate.toSdpValue()));
        }
        lines.add(SdpLine.attribute("end-of-candidates"));
        return new MediaSection(offeredSection.kind(), first.port(), "UDP/TLS/RTP/SAVPF", formats, lines);
    }

    /**
     * msid, FID group and ssrc lines, the media SSRC's lines before the RTX SSRC's: Chromium silently creates no
     * inbound video otherwise (probe pitfall 6).
     */
    private static void addSendStream(List<SdpLine> lines, SendStream stream) {
        String msid = stream.streamId() + " " + stream.trackId();
        lines.add(SdpLine.attribute("msid", msid));
        stream.rtxSsrc().ifPresent(rtx -> lines.add(SdpLine.attribute("ssrc-group",
                "FID " + stream.ssrc() + " " + rtx)));
        lines.add(SdpLine.attribute("ssrc", stream.ssrc() + " cname:" + stream.cname()));
        lines.add(SdpLine.attribute("ssrc", stream.ssrc() + " msid:" + msid));
        stream.rtxSsrc().ifPresent(rtx -> {
            lines.add(SdpLine.attribute("ssrc", rtx + " cname:" + stream.cname()));
            lines.add(SdpLine.attribute("ssrc", rtx + " msid:" + msid));
        });
    }
}
