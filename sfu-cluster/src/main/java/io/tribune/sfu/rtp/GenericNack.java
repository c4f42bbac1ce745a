package io.tribune.sfu.rtp;

import java.util.List;

/**
 * A generic NACK (RFC 4585 §6.2.1, RTPFB FMT 1): the receiver asks for these sequence numbers again.
 *
 * <p>Encoding packs the list into PID/BLP pairs in the given order, starting a new pair whenever a number is not
 * within the 16 after the pair's PID or does not come after the last one added, so decoding yields the same list.
 *
 * @param senderSsrc the receiver sending the feedback
 * @param mediaSsrc the source whose packets are missing
 * @param lostSequenceNumbers the missing sequence numbers, 0–65535
 */
public record GenericNack(int senderSsrc, int mediaSsrc, List<Integer> lostSequenceNumbers) implements RtcpPacket {

    public static final int FORMAT = 1;

    public GenericNack {
        lostSequenceNumbers = List.copyOf(lostSequenceNumbers);
        if (lostSequenceNumbers.isEmpty()) {
            // RFC 4585 §6.2.1: at least one FCI entry.
            throw new IllegalArgumentException("a NACK names at least one sequence number");
        }
        for (int seq : lostSequenceNumbers) {
            if (seq < 0 || seq > 0xffff) {
                throw new IllegalArgumentException("sequence number out of range: " + seq);
            }
        }
    }

    @Override
    public int packetType() {
        return PT_RTPFB;
    }

    @Override
    public int encodedLength() {
        return 12 + 4 * countPairs();
    }

    private int countPairs() {
        return writePairs(null, 0);
    }

    /** Writes the FCI pairs when {@code buf} is non-null; returns how many pairs the list needs. */
    private int writePairs(byte[] buf, int off) {
        int pairs = 0;
        int pid = -1;
        int blp = 0;
        int lastDistance = 0;
        for (int seq : lostSequenceNumbers) {
            int distance = pid < 0 ? -1 : (seq - pid) & 0xffff;
            if (distance >= 1 && distance <= 16 && distance > lastDistance) {
                blp |= 1 << (distance - 1);
                lastDistance = distance;
                continue;
            }
            if (pid >= 0 && buf != null) {
                Bytes.putUint16(buf, off + 4 * (pairs - 1), pid);
                Bytes.putUint16(buf, off + 4 * (pairs - 1) + 2, blp);
            }
            pairs++;
            pid = seq;
            blp = 0;
            lastDistance = 0;
        }
        if (pid >= 0 && buf != null) {
            Bytes.putUint16(buf, off + 4 * (pairs - 1), pid);
            Bytes.putUint16(buf, off + 4 * (pairs - 1) + 2, blp);
        }
        return pairs;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        int length = encodedLength();
        RtcpPacket.writeHeader(buf, off, FORMAT, PT_RTPFB, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt32(buf, off + 8, mediaSsrc);
        writePairs(buf, off + 12);
        return length;
    }
}
