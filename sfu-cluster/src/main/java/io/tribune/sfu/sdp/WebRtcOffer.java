package io.tribune.sfu.sdp;

import io.tribune.sfu.dtls.Fingerprint;
import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.transport.RemoteTransport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A browser's offer read for what the SFU needs: Unified Plan media sections, all in one BUNDLE group with
 * rtcp-mux (RFC 8843, RFC 5761), ICE credentials and candidates, and the DTLS fingerprint and role.
 *
 * <p>Immutable and thread-safe.
 */
public record WebRtcOffer(SessionDescription description, RemoteTransport transport, List<OfferedMedia> media) {

    public WebRtcOffer {
        media = List.copyOf(media);
    }

    /**
     * Reads an offer.
     *
     * @throws SdpParseException when something WebRTC requires is missing: ice-ufrag/ice-pwd, a fingerprint,
     *     a setup role that lets us be passive, a mid per section, one BUNDLE group covering every accepted
     *     section, rtcp-mux
     */
    public static WebRtcOffer from(SessionDescription sdp) throws SdpParseException {
        if (sdp.media().isEmpty()) {
            throw new SdpParseException("offer has no media sections");
        }
        Set<String> bundle = bundleGroup(sdp);
        String ufrag = null;
        String password = null;
        Fingerprint fingerprint = null;
        List<IceCandidate> candidates = new ArrayList<>();
        List<OfferedMedia> media = new ArrayList<>();
        Set<String> mids = new LinkedHashSet<>();
        for (MediaSection section : sdp.media()) {
            String mid = section.attribute("mid")
                    .orElseThrow(() -> new SdpParseException("media section without a=mid"));
            if (!mids.add(mid)) {
                throw new SdpParseException("duplicate mid " + mid);
            }
            if (section.port() == 0 && !section.hasAttribute("bundle-only")) {
                media.add(new OfferedMedia(mid, section.kind(), Direction.INACTIVE, List.of(), List.of(),
                        List.of()));
                continue;
            }
            if (!bundle.contains(mid)) {
                throw new SdpParseException("mid " + mid + " is not in the BUNDLE group");
            }
            if (!section.hasAttribute("rtcp-mux")) {
                throw new SdpParseException("mid " + mid + " lacks a=rtcp-mux");
            }
            String setup = valueOf(section, sdp, "setup");
            if (setup == null || !(setup.equals("actpass") || setup.equals("active"))) {
                // We are always the DTLS server (a=setup:passive).
                throw new SdpParseException("mid " + mid + " has a=setup:" + setup + ", need actpass or active");
            }
            String sectionUfrag = valueOf(section, sdp, "ice-ufrag");
            String sectionPassword = valueOf(section, sdp, "ice-pwd");
            String sectionFingerprint = valueOf(section, sdp, "fingerprint");
            if (sectionUfrag == null || sectionPassword == null || sectionFingerprint == null) {
                throw new SdpParseException("mid " + mid + " lacks ice-ufrag, ice-pwd or fingerprint");
            }
            if (ufrag == null) {
                ufrag = sectionUfrag;
                password = sectionPassword;
                try {
                    fingerprint = Fingerprint.parse(sectionFingerprint);
                } catch (IllegalArgumentException e) {
                    throw new SdpParseException(e.getMessage());
                }
            }
            for (String value : section.attributes("candidate")) {
                IceCandidate.parse(value).ifPresent(candidates::add);
            }
            media.add(new OfferedMedia(mid, section.kind(), direction(section), codecs(section), ssrcs(section),
                    rtxGroups(section), sendRids(section)));
        }
        if (ufrag == null) {
            throw new SdpParseException("offer accepts no media section");
        }
        return new WebRtcOffer(sdp, new RemoteTransport(ufrag, password, fingerprint, candidates), media);
    }

    /** Parses SDP text and reads it as an offer. */
    public static WebRtcOffer parse(String text) throws SdpParseException {
        return from(SessionDescription.parse(text));
    }

    private static Set<String> bundleGroup(SessionDescription sdp) throws SdpParseException {
        for (String group : sdp.attributes("group")) {
            String[] parts = group.trim().split("\\s+");
            if (parts[0].equals("BUNDLE")) {
                Set<String> mids = new LinkedHashSet<>();
                for (int i = 1; i < parts.length; i++) {
                    mids.add(parts[i]);
                }
                return mids;
            }
        }
        throw new SdpParseException("offer has no a=group:BUNDLE");
    }

    /** A media-level attribute, or the session-level one (RFC 8839 §5.4 allows both for ICE and DTLS). */
    private static String valueOf(MediaSection section, SessionDescription sdp, String name) {
        return section.attribute(name).or(() -> sdp.attribute(name)).map(String::trim).orElse(null);
    }

    private static Direction direction(MediaSection section) {
        for (Direction direction : Direction.values()) {
            if (section.hasAttribute(direction.attribute())) {
                return direction;
            }
        }
        return Direction.SENDRECV;
    }

    private static List<Codec> codecs(MediaSection section) throws SdpParseException {
        List<Codec> codecs = new ArrayList<>();
        if (!section.protocol().contains("RTP")) {
            // A data channel section (UDP/DTLS/SCTP webrtc-datachannel) has no RTP formats.
            return codecs;
        }
        for (String format : section.formats()) {
            int pt;
            try {
                pt = Integer.parseInt(format);
            } catch (NumberFormatException e) {
                throw new SdpParseException("non-numeric RTP format " + format);
            }
            Optional<String> rtpmap = findForPayloadType(section.attributes("rtpmap"), pt);
            if (rtpmap.isEmpty()) {
                continue;
            }
            String[] encoding = rtpmap.get().trim().split("/");
            if (encoding.length < 2) {
                throw new SdpParseException("malformed rtpmap for " + pt);
            }
            try {
                int clockRate = Integer.parseInt(encoding[1]);
                int channels = encoding.length > 2 ? Integer.parseInt(encoding[2]) : 0;
                List<String> feedback = new ArrayList<>();
                for (String fb : section.attributes("rtcp-fb")) {
                    int space = fb.indexOf(' ');
                    if (space > 0 && fb.substring(0, space).equals(format)) {
                        feedback.add(fb.substring(space + 1));
                    }
                }
                codecs.add(new Codec(pt, encoding[0], clockRate, channels,
                        findForPayloadType(section.attributes("fmtp"), pt), feedback));
            } catch (NumberFormatException e) {
                throw new SdpParseException("malformed rtpmap for " + pt);
            }
        }
        return codecs;
    }

    /** The rest of the first {@code "<pt> rest"} value for this payload type. */
    private static Optional<String> findForPayloadType(List<String> values, int pt) {
        String prefix = pt + " ";
        for (String value : values) {
            if (value.startsWith(prefix)) {
                return Optional.of(value.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    private static List<Long> ssrcs(MediaSection section) throws SdpParseException {
        Set<Long> ssrcs = new LinkedHashSet<>();
        for (String value : section.attributes("ssrc")) {
            ssrcs.add(ssrc(value.split(" ")[0]));
        }
        return new ArrayList<>(ssrcs);
    }

    /** How many simulcast streams we accept in one section: Chromium sends at most three. */
    static final int MAX_SIMULCAST_STREAMS = 3;

    /**
     * The rids of {@code a=simulcast:send} (RFC 8853 §5.1) that an {@code a=rid:<id> send} line declares, in the
     * simulcast line's order; alternatives ({@code a,b}) keep their first choice, paused ones ({@code ~a}) are
     * skipped. Without a simulcast line, the declared send rids in order.
     */
    private static List<String> sendRids(MediaSection section) throws SdpParseException {
        List<String> declared = new ArrayList<>();
        for (String value : section.attributes("rid")) {
            String[] parts = value.trim().split("\\s+");
            if (parts.length >= 2 && parts[1].equals("send")) {
                if (!parts[0].matches("[A-Za-z0-9_-]{1,16}")) {
                    throw new SdpParseException("malformed rid " + parts[0]);
                }
                declared.add(parts[0]);
            }
        }
        Optional<String> simulcast = section.attribute("simulcast");
        List<String> rids = new ArrayList<>();
        if (simulcast.isPresent()) {
            String[] parts = simulcast.get().trim().split("\\s+");
            for (int i = 0; i + 1 < parts.length; i += 2) {
                if (!parts[i].equals("send")) {
                    continue;
                }
                for (String stream : parts[i + 1].split(";")) {
                    String first = stream.split(",", -1)[0]; // "," alone: one empty alternative, no rid
                    if (!first.startsWith("~") && declared.contains(first) && !rids.contains(first)) {
                        rids.add(first);
                    }
                }
            }
        } else {
            rids.addAll(declared);
        }
        if (rids.size() > MAX_SIMULCAST_STREAMS) {
            throw new SdpParseException("at most " + MAX_SIMULCAST_STREAMS + " simulcast streams, got " + rids.size());
        }
        return rids;
    }

    private static List<SsrcPair> rtxGroups(MediaSection section) throws SdpParseException {
        List<SsrcPair> groups = new ArrayList<>();
        for (String value : section.attributes("ssrc-group")) {
            String[] parts = value.trim().split("\\s+");
            if (parts[0].toUpperCase(Locale.ROOT).equals("FID") && parts.length == 3) {
                groups.add(new SsrcPair(ssrc(parts[1]), ssrc(parts[2])));
            }
        }
        return groups;
    }

    private static long ssrc(String text) throws SdpParseException {
        try {
            long value = Long.parseLong(text);
            if (value < 0 || value > 0xffffffffL) {
                throw new SdpParseException("SSRC out of range: " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SdpParseException("malformed SSRC: " + text);
        }
    }
}
