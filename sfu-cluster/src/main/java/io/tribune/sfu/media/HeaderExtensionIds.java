package io.tribune.sfu.media;

import io.tribune.sfu.sdp.MediaSection;
import io.tribune.sfu.sdp.SessionDescription;
import java.util.Set;

/**
 * The RFC 8285 ids an endpoint negotiated for the header extensions the receive pipeline reads; -1 where not
 * negotiated. One BUNDLE transport uses one id per URI (RFC 8843 §9.1), so the first mapping found wins.
 * Immutable.
 */
public record HeaderExtensionIds(int mid, int rid, int audioLevel, int repairedRid, int transportCc) {

    /** RFC 8843 §15.1. */
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** RFC 8852 §3.1. */
    public static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** RFC 6464. */
    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** RFC 8852 §3.2: the rid of the stream an RTX packet repairs. */
    public static final String REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** draft-holmer-rmcat-transport-wide-cc-extensions-01: a 16-bit sequence number per transport. */
    public static final String TRANSPORT_CC_URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** The URIs the SFU accepts on what it receives. */
    public static final Set<String> SUPPORTED = Set.of(MID_URI, RID_URI, AUDIO_LEVEL_URI, REPAIRED_RID_URI,
            TRANSPORT_CC_URI);
    /** The URIs the SFU writes on what it sends. */
    public static final Set<String> SENT = Set.of(TRANSPORT_CC_URI);

    public static final HeaderExtensionIds NONE = new HeaderExtensionIds(-1, -1, -1, -1, -1);

    /** Without repaired-rid and transport-cc. */
    public HeaderExtensionIds(int mid, int rid, int audioLevel) {
        this(mid, rid, audioLevel, -1, -1);
    }

    /** Reads the {@code a=extmap} lines of every media section. */
    public static HeaderExtensionIds from(SessionDescription sdp) {
        int mid = -1;
        int rid = -1;
        int audioLevel = -1;
        int repairedRid = -1;
        int transportCc = -1;
        for (MediaSection section : sdp.media()) {
            for (String value : section.attributes("extmap")) {
                String[] parts = value.trim().split("\\s+");
                if (parts.length < 2) {
                    continue;
                }
                int id;
                try {
                    id = Integer.parseInt(parts[0].split("/")[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (id < 1 || id > 255) {
                    continue;
                }
                switch (parts[1]) {
                    case MID_URI -> mid = mid < 0 ? id : mid;
                    case RID_URI -> rid = rid < 0 ? id : rid;
                    case AUDIO_LEVEL_URI -> audioLevel = audioLevel < 0 ? id : audioLevel;
                    case REPAIRED_RID_URI -> repairedRid = repairedRid < 0 ? id : repairedRid;
                    case TRANSPORT_CC_URI -> transportCc = transportCc < 0 ? id : transportCc;
                    default -> {
                    }
                }
            }
        }
        return new HeaderExtensionIds(mid, rid, audioLevel, repairedRid, transportCc);
    }
}
