package io.tribune.sfu.sdp;

import java.util.List;
import java.util.Optional;

/**
 * What one offered media section asks for.
 *
 * @param mid the section's identification tag (RFC 8843 §9.2)
 * @param kind audio or video
 * @param direction the offerer's direction
 * @param codecs the offered payload formats, in the offerer's preference order
 * @param ssrcs the offerer's SSRCs from {@code a=ssrc} lines, in order of first appearance
 * @param rtxSsrcs the {@code a=ssrc-group:FID} pairs, in order
 * @param sendRids the simulcast streams the offerer sends (RFC 8853 {@code a=simulcast:send}, each declared by an
 *     {@code a=rid:<id> send} line, RFC 8851), in the order the simulcast line lists them; empty without simulcast
 */
public record OfferedMedia(String mid, String kind, Direction direction, List<Codec> codecs, List<Long> ssrcs,
                           List<SsrcPair> rtxSsrcs, List<String> sendRids) {

    public OfferedMedia {
        codecs = List.copyOf(codecs);
        ssrcs = List.copyOf(ssrcs);
        rtxSsrcs = List.copyOf(rtxSsrcs);
        sendRids = List.copyOf(sendRids);
    }

    /** A section without simulcast. */
    public OfferedMedia(String mid, String kind, Direction direction, List<Codec> codecs, List<Long> ssrcs,
                        List<SsrcPair> rtxSsrcs) {
        this(mid, kind, direction, codecs, ssrcs, rtxSsrcs, List.of());
    }

    public boolean simulcast() {
        return sendRids.size() > 1;
    }

    /** The first offered codec with this encoding name. */
    public Optional<Codec> codec(String name) {
        return codecs.stream().filter(c -> c.is(name)).findFirst();
    }

    /** The RTX format whose {@code apt} is this payload type, if offered. */
    public Optional<Codec> rtxFor(int payloadType) {
        return codecs.stream().filter(c -> c.is("rtx"))
                .filter(c -> c.associatedPayloadType().orElse(-1) == payloadType).findFirst();
    }
}
