package io.tribune.sfu.rtp;

import java.util.Arrays;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1, RTPFB
 * FMT 15): the arrival of each packet since {@link #baseSequence()}, by transport-wide sequence number.
 *
 * <p>Each packet has a status: {@link #NOT_RECEIVED}, {@link #SMALL_DELTA} (received, delta 0–255 ticks) or
 * {@link #LARGE_DELTA} (received, delta as a signed 16-bit value). Each received packet has a receive delta in
 * 250 µs ticks relative to the previous one (the first relative to {@link #referenceTime()}).
 *
 * <p>Immutable and thread-safe: the arrays are copied in and out.
 */
public record TransportCcFeedback(int senderSsrc, int mediaSsrc, int baseSequence, int referenceTime,
                                  int feedbackPacketCount, byte[] statuses, int[] receiveDeltas)
        implements RtcpPacket {

    public static final int FORMAT = 15;
    public static final byte NOT_RECEIVED = 0;
    public static final byte SMALL_DELTA = 1;
    public static final byte LARGE_DELTA = 2;
    /** A run-length chunk holds at most 2^13 - 1 statuses (§3.1.3). */
    private static final int MAX_RUN = 0x1fff;

    /**
     * @param referenceTime signed 24-bit time in multiples of 64 ms (§3.1)
     * @param feedbackPacketCount this feedback's sequence number modulo 256
     * @param statuses one status per packet, 0–65535 packets
     * @param receiveDeltas one delta per received packet, in 250 µs ticks
     */
    public TransportCcFeedback {
        statuses = statuses.clone();
        receiveDeltas = receiveDeltas.clone();
        if (baseSequence < 0 || baseSequence > 0xffff || feedbackPacketCount < 0 || feedbackPacketCount > 255
                || referenceTime < -(1 << 23) || referenceTime >= 1 << 23 || statuses.length > 0xffff) {
            throw new IllegalArgumentException("transport-cc header field out of range");
        }
        int delta = 0;
        for (byte status : statuses) {
            if (status == NOT_RECEIVED) {
                continue;
            }
            if (delta >= receiveDeltas.length) {
                throw new IllegalArgumentException("fewer deltas than received packets");
            }
            int value = receiveDeltas[delta++];
            boolean fits = status == SMALL_DELTA ? value >= 0 && value <= 255
                    : status == LARGE_DELTA && value >= Short.MIN_VALUE && value <= Short.MAX_VALUE;
            if (!fits) {
                throw new IllegalArgumentException("status " + status + " cannot carry delta " + value);
            }
        }
        if (delta != receiveDeltas.length) {
            throw new IllegalArgumentException("more deltas than received packets");
        }
    }

    @Override
    public byte[] statuses() {
        return statuses.clone();
    }

    @Override
    public int[] receiveDeltas() {
        return receiveDeltas.clone();
    }

    @Override
    public int packetType() {
        return PT_RTPFB;
    }

    private int deltaBytes() {
        int bytes = 0;
        for (byte status : statuses) {
            bytes += status == SMALL_DELTA ? 1 : status == LARGE_DELTA ? 2 : 0;
        }
        return bytes;
    }

    private int unpaddedLength() {
        return 20 + 2 * writeChunks(null, 0) + deltaBytes();
    }

    @Override
    public int encodedLength() {
        return (unpaddedLength() + 3) / 4 * 4;
    }

    /**
     * Encodes the status chunks (§3.1.3, §3.1.4) at {@code buf[off]} when {@code buf} is non-null.
     * Long runs of one status become run-length chunks, the rest 1-bit vectors when only "not received" and
     * "small delta" occur, 2-bit vectors otherwise.
     *
     * @return the number of chunks
     */
    private int writeChunks(byte[] buf, int off) {
        int chunks = 0;
        int i = 0;
        while (i < statuses.length) {
            int run = 1;
            while (i + run < statuses.length && statuses[i + run] == statuses[i] && run < MAX_RUN) {
                run++;
            }
            int chunk;
            if (run >= 14 || i + run == statuses.length) {
                chunk = (statuses[i] << 13) | run;
                i += run;
            } else if (allAtMostSmall(i, 14)) {
                chunk = 0x8000;
                for (int k = 0; k < 14 && i + k < statuses.length; k++) {
                    chunk |= statuses[i + k] << (13 - k);
                }
                i += 14;
            } else {
                chunk = 0xc000;
                for (int k = 0; k < 7 && i + k < statuses.length; k++) {
                    chunk |= statuses[i + k] << (12 - 2 * k);
                }
                i += 7;
            }
            if (buf != null) {
                Bytes.putUint16(buf, off + 2 * chunks, chunk);
            }
            chunks++;
        }
        return chunks;
    }

    private boolean allAtMostSmall(int from, int count) {
        for (int k = from; k < from + count && k < statuses.length; k++) {
            if (statuses[k] > SMALL_DELTA) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        int unpadded = unpaddedLength();
        int length = encodedLength();
        RtcpPacket.writeHeader(buf, off, FORMAT, PT_RTPFB, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt32(buf, off + 8, mediaSsrc);
        Bytes.putUint16(buf, off + 12, baseSequence);
        Bytes.putUint16(buf, off + 14, statuses.length);
        Bytes.putUint24(buf, off + 16, referenceTime & 0xffffff);
        buf[off + 19] = (byte) feedbackPacketCount;
        int pos = off + 20 + 2 * writeChunks(buf, off + 20);
        int delta = 0;
        for (byte status : statuses) {
            if (status == SMALL_DELTA) {
                buf[pos++] = (byte) receiveDeltas[delta++];
            } else if (status == LARGE_DELTA) {
                Bytes.putUint16(buf, pos, receiveDeltas[delta++]);
                pos += 2;
            }
        }
        int padding = length - unpadded;
        if (padding > 0) {
            // Like libwebrtc, pad with the RTCP padding bit (RFC 3550 §6.4.1): zeros, then the count.
            buf[off] |= 0x20;
            for (int k = 0; k < padding - 1; k++) {
                buf[pos++] = 0;
            }
            buf[pos] = (byte) padding;
        }
        return length;
    }

    /**
     * Decodes the body after the common header and the two SSRCs, or returns null when it is inconsistent.
     *
     * @param off where the base sequence number starts
     * @param end the end of the body, padding excluded
     */
    static TransportCcFeedback read(int senderSsrc, int mediaSsrc, byte[] buf, int off, int end) {
        if (end - off < 8) {
            return null;
        }
        int base = Bytes.uint16(buf, off);
        int count = Bytes.uint16(buf, off + 2);
        int reference = (Bytes.uint24(buf, off + 4) << 8) >> 8;
        int feedbackCount = Bytes.uint8(buf, off + 7);
        byte[] statuses = new byte[count];
        int filled = 0;
        int pos = off + 8;
        while (filled < count) {
            if (pos + 2 > end) {
                return null;
            }
            int chunk = Bytes.uint16(buf, pos);
            pos += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 0x3;
                int run = Math.min(chunk & MAX_RUN, count - filled);
                if (symbol == 3) {
                    return null;
                }
                Arrays.fill(statuses, filled, filled + run, (byte) symbol);
                filled += run;
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 0; k < 14 && filled < count; k++) {
                    statuses[filled++] = (byte) ((chunk >>> (13 - k)) & 0x1);
                }
            } else {
                for (int k = 0; k < 7 && filled < count; k++) {
                    int symbol = (chunk >>> (12 - 2 * k)) & 0x3;
                    if (symbol == 3) {
                        return null;
                    }
                    statuses[filled++] = (byte) symbol;
                }
            }
        }
        int received = 0;
        for (byte status : statuses) {
            received += status == NOT_RECEIVED ? 0 : 1;
        }
        int[] deltas = new int[received];
        int delta = 0;
        for (byte status : statuses) {
            if (status == SMALL_DELTA) {
                if (pos + 1 > end) {
                    return null;
                }
                deltas[delta++] = Bytes.uint8(buf, pos++);
            } else if (status == LARGE_DELTA) {
                if (pos + 2 > end) {
                    return null;
                }
                deltas[delta++] = (short) Bytes.uint16(buf, pos);
                pos += 2;
            }
        }
        return new TransportCcFeedback(senderSsrc, mediaSsrc, base, reference, feedbackCount, statuses, deltas);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportCcFeedback other && other.senderSsrc == senderSsrc
                && other.mediaSsrc == mediaSsrc && other.baseSequence == baseSequence
                && other.referenceTime == referenceTime && other.feedbackPacketCount == feedbackPacketCount
                && Arrays.equals(other.statuses, statuses) && Arrays.equals(other.receiveDeltas, receiveDeltas);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {senderSsrc, mediaSsrc, baseSequence, referenceTime, feedbackPacketCount,
            Arrays.hashCode(statuses), Arrays.hashCode(receiveDeltas)});
    }

    @Override
    public String toString() {
        return "TransportCcFeedback[sender=" + senderSsrc + ", media=" + mediaSsrc + ", base=" + baseSequence
                + ", reference=" + referenceTime + ", count=" + feedbackPacketCount + ", statuses="
                + Arrays.toString(statuses) + ", deltas=" + Arrays.toString(receiveDeltas) + "]";
    }
}
