package io.tribune.sfu.sdp;

import java.util.OptionalLong;

/**
 * A stream we send in an answer's media section: its MediaStream and track ids (RFC 8830 msid), CNAME, and SSRCs.
 *
 * @param ssrc the media SSRC (unsigned 32-bit)
 * @param rtxSsrc the RTX SSRC, for video with RTX
 */
public record SendStream(String streamId, String trackId, String cname, long ssrc, OptionalLong rtxSsrc) {
}
