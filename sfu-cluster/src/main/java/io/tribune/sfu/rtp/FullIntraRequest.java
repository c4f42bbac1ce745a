package io.tribune.sfu.rtp;

import java.util.List;

/**
 * A full intra request (RFC 5104 §4.3.1, PSFB FMT 4). The common header's media source field is unused and sent
 * as zero (§4.3.1.2); the targets are in the FCI entries.
 *
 * @param senderSsrc the sender of the request
 * @param entries one entry per source asked for an intra frame
 */
public record FullIntraRequest(int senderSsrc, List<Entry> entries) implements RtcpPacket {

    public static final int FORMAT = 4;

    /**
     * One FCI entry.
     *
     * @param ssrc the source that should send a decoder refresh point
     * @param sequenceNumber the command sequence number, 0–255, incremented per new request (§4.3.1.1)
     */
    public record Entry(int ssrc, int sequenceNumber) {
        public Entry {
            if (sequenceNumber < 0 || sequenceNumber > 255) {
                throw new IllegalArgumentException("FIR sequence number out of range: " + sequenceNumber);
            }
        }
    }

    public FullIntraRequest {
        entries = List.copyOf(entries);
    }

    @Override
    public int packetType() {
        return PT_PSFB;
    }

    @Override
    public int encodedLength() {
        return 12 + 8 * entries.size();
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        int length = encodedLength();
        RtcpPacket.writeHeader(buf, off, FORMAT, PT_PSFB, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt32(buf, off + 8, 0);
        for (int i = 0; i < entries.size(); i++) {
            int pos = off + 12 + 8 * i;
            Bytes.putInt32(buf, pos, entries.get(i).ssrc());
            Bytes.putInt32(buf, pos + 4, (long) entries.get(i).sequenceNumber() << 24);
        }
        return length;
    }
}
