package io.tribune.sfu.rtp;

import java.util.List;

/**
 * The outcome of decoding a compound RTCP packet: its packets, or why the whole compound was rejected.
 * RFC 3550 §6.4 validity applies to the compound as a unit, so one malformed packet rejects all of it.
 *
 * @param packets the decoded packets in order; empty when rejected
 * @param malformation {@link Malformation#NONE} when accepted
 */
public record RtcpParseResult(List<RtcpPacket> packets, Malformation malformation) {

    public RtcpParseResult {
        packets = List.copyOf(packets);
    }

    static RtcpParseResult rejected(Malformation why) {
        return new RtcpParseResult(List.of(), why);
    }

    public boolean isWellFormed() {
        return malformation == Malformation.NONE;
    }
}
