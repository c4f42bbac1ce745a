package io.tribune.sfu.rtp;

import java.util.List;

/**
 * An RTCP receiver report (RFC 3550 §6.4.2). An RR with no blocks is the usual first packet of a compound packet
 * that carries only feedback.
 *
 * @param senderSsrc the reporter
 * @param reports reception report blocks, at most 31
 */
public record ReceiverReport(int senderSsrc, List<ReportBlock> reports) implements RtcpPacket {

    public ReceiverReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31) {
            throw new IllegalArgumentException("at most 31 report blocks, got " + reports.size());
        }
    }

    @Override
    public int packetType() {
        return PT_RR;
    }

    @Override
    public int encodedLength() {
        return 8 + ReportBlock.LENGTH * reports.size();
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        int length = encodedLength();
        RtcpPacket.writeHeader(buf, off, reports.size(), PT_RR, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        for (int i = 0; i < reports.size(); i++) {
            reports.get(i).write(buf, off + 8 + ReportBlock.LENGTH * i);
        }
        return length;
    }
}
