package io.tribune.sfu.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An RTP payload format of a media section: {@code a=rtpmap} (RFC 8866 §6.6), {@code a=fmtp} (§6.15) and
 * {@code a=rtcp-fb} (RFC 4585 §4.2).
 *
 * @param payloadType the dynamic or static PT
 * @param name the encoding name as written (opus, VP8, rtx, ...)
 * @param clockRate in Hz
 * @param channels audio channels; 0 when absent
 * @param parameters the fmtp value, if any
 * @param feedback the rtcp-fb values for this PT, e.g. "nack pli"
 */
public record Codec(int payloadType, String name, int clockRate, int channels, Optional<String> parameters,
                    List<String> feedback) {

    public Codec {
        feedback = List.copyOf(feedback);
    }

    public boolean is(String encodingName) {
        return name.toLowerCase(Locale.ROOT).equals(encodingName.toLowerCase(Locale.ROOT));
    }

    /** For RTX (RFC 4588 §8.6): the PT it retransmits, from {@code apt=}. */
    public Optional<Integer> associatedPayloadType() {
        if (parameters.isEmpty()) {
            return Optional.empty();
        }
        for (String parameter : parameters.get().split(";")) {
            String p = parameter.trim();
            if (p.startsWith("apt=")) {
                try {
                    return Optional.of(Integer.parseInt(p.substring(4)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The rtpmap value: {@code <pt> <name>/<rate>[/<channels>]}. */
    String rtpmapValue() {
        return payloadType + " " + name + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }
}
