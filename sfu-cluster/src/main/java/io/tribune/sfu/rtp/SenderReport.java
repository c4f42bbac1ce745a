package io.tribune.sfu.rtp;

import java.util.List;

/**
 * An RTCP sender report (RFC 3550 §6.4.1). Profile-specific extensions after the report blocks are not kept.
 *
 * @param senderSsrc the sender
 * @param ntpTimestamp the 64-bit NTP wall-clock time of this report
 * @param rtpTimestamp the same instant in RTP timestamp units (unsigned 32-bit)
 * @param packetCount packets sent since the start (unsigned 32-bit)
 * @param octetCount payload octets sent since the start (unsigned 32-bit)
 * @param reports reception report blocks, at most 31
 */
public record SenderReport(int senderSsrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                           List<ReportBlock> reports) implements RtcpPacket {

    public SenderReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31) {
            throw new IllegalArgumentException("at most 31 report blocks, got " + reports.size());
        }
    }

    @Override
    public int packetType() {
        return PT_SR;
    }

    @Override
    public int encodedLength() {
        return 28 + ReportBlock.LENGTH * reports.size();
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        int length = encodedLength();
        RtcpPacket.writeHeader(buf, off, reports.size(), PT_SR, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt64(buf, off + 8, ntpTimestamp);
        Bytes.putInt32(buf, off + 16, rtpTimestamp);
        Bytes.putInt32(buf, off + 20, packetCount);
        Bytes.putInt32(buf, off + 24, octetCount);
        for (int i = 0; i < reports.size(); i++) {
            reports.get(i).write(buf, off + 28 + ReportBlock.LENGTH * i);
        }
        return length;
    }
}
