package io.tribune.sfu.rtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks the packets of a compound RTCP packet (RFC 3550 §6.4) in place, and decodes them into {@link RtcpPacket}
 * values on request. Walking costs no allocation, so the pipeline can look at packet types and SSRCs, or rewrite
 * an SSRC in the buffer, without decoding; {@link #parse} decodes the whole compound.
 *
 * <p>Never throws on network input: a malformed packet ends the walk with {@link #malformation()} set.
 *
 * <p>Not thread-safe; a reader belongs to the thread that owns the buffer.
 */
public final class RtcpCompoundReader {

    private static final int HEADER = 4;

    private final byte[] buffer;
    private final int end;
    private int nextOffset;
    private int packetOffset;
    private int packetLength;
    private int paddingLength;
    private Malformation malformation = Malformation.NONE;

    public RtcpCompoundReader(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            this.buffer = buf;
            this.end = 0;
            this.nextOffset = 0;
            this.malformation = Malformation.TOO_SHORT;
            return;
        }
        this.buffer = buf;
        this.nextOffset = off;
        this.end = off + len;
        if (len < HEADER) {
            this.malformation = Malformation.TOO_SHORT;
        }
    }

    /** Decodes a whole compound packet. */
    public static RtcpParseResult parse(byte[] buf, int off, int len) {
        RtcpCompoundReader reader = new RtcpCompoundReader(buf, off, len);
        List<RtcpPacket> packets = new ArrayList<>();
        while (reader.next()) {
            RtcpPacket packet = reader.decode();
            if (packet == null) {
                return RtcpParseResult.rejected(reader.malformation());
            }
            packets.add(packet);
        }
        if (reader.malformation() != Malformation.NONE) {
            return RtcpParseResult.rejected(reader.malformation());
        }
        return new RtcpParseResult(packets, Malformation.NONE);
    }

    /**
     * Moves to the next packet of the compound.
     *
     * @return false at the end or on a malformed header ({@link #malformation()} then says why)
     */
    public boolean next() {
        if (malformation != Malformation.NONE || nextOffset >= end) {
            return false;
        }
        if (end - nextOffset < HEADER) {
            return fail(Malformation.TOO_SHORT);
        }
        if ((buffer[nextOffset] & 0xc0) != 0x80) {
            return fail(Malformation.BAD_VERSION);
        }
        int length = 4 * (Bytes.uint16(buffer, nextOffset + 2) + 1);
        if (length > end - nextOffset) {
            return fail(Malformation.BAD_LENGTH);
        }
        int padding = 0;
        if ((buffer[nextOffset] & 0x20) != 0) {
            padding = buffer[nextOffset + length - 1] & 0xff;
            if (padding == 0 || padding > length - HEADER) {
                return fail(Malformation.BAD_PADDING);
            }
        }
        packetOffset = nextOffset;
        packetLength = length;
        paddingLength = padding;
        nextOffset += length;
        return true;
    }

    private boolean fail(Malformation why) {
        malformation = why;
        return false;
    }

    /** {@link Malformation#NONE} unless the walk or a decode found a malformed packet. */
    public Malformation malformation() {
        return malformation;
    }

    /** The current packet's PT octet. */
    public int packetType() {
        return Bytes.uint8(buffer, packetOffset + 1);
    }

    /** The current packet's 5-bit count (RC, SC) or feedback message type (FMT). */
    public int countOrFormat() {
        return buffer[packetOffset] & 0x1f;
    }

    /** Where the current packet starts in the buffer. */
    public int packetOffset() {
        return packetOffset;
    }

    /** The current packet's length in bytes, header and padding included. */
    public int packetLength() {
        return packetLength;
    }

    /**
     * Decodes the current packet.
     *
     * @return the packet, or null when its body is malformed ({@link #malformation()} is then set)
     */
    public RtcpPacket decode() {
        int count = countOrFormat();
        int body = packetOffset + HEADER;
        int bodyEnd = packetOffset + packetLength - paddingLength;
        int size = bodyEnd - body;
        RtcpPacket decoded;
        switch (packetType()) {
            case RtcpPacket.PT_SR -> decoded = size < 24 + ReportBlock.LENGTH * count ? null
                    : new SenderReport(Bytes.int32(buffer, body), Bytes.int64(buffer, body + 4),
                            Bytes.uint32(buffer, body + 12), Bytes.uint32(buffer, body + 16),
                            Bytes.uint32(buffer, body + 20), reportBlocks(body + 24, count));
            case RtcpPacket.PT_RR -> decoded = size < 4 + ReportBlock.LENGTH * count ? null
                    : new ReceiverReport(Bytes.int32(buffer, body), reportBlocks(body + 4, count));
            case RtcpPacket.PT_BYE -> decoded = bye(body, bodyEnd, count);
            case RtcpPacket.PT_RTPFB -> decoded = transportFeedback(body, bodyEnd, count);
            case RtcpPacket.PT_PSFB -> decoded = payloadFeedback(body, bodyEnd, count);
            default -> decoded = unparsed();
        }
        if (decoded == null) {
            malformation = Malformation.BAD_BODY;
        }
        return decoded;
    }

    private List<ReportBlock> reportBlocks(int off, int count) {
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(ReportBlock.read(buffer, off + ReportBlock.LENGTH * i));
        }
        return blocks;
    }

    private RtcpPacket unparsed() {
        byte[] raw = new byte[packetLength];
        System.arraycopy(buffer, packetOffset, raw, 0, packetLength);
        return new UnparsedRtcp(packetType(), countOrFormat(), raw);
    }

    private Bye bye(int body, int bodyEnd, int count) {
        int reasonAt = body + 4 * count;
        if (reasonAt > bodyEnd) {
            return null;
        }
        List<Integer> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(Bytes.int32(buffer, body + 4 * i));
        }
        if (reasonAt == bodyEnd) {
            return new Bye(ssrcs, Optional.empty());
        }
        int reasonLength = Bytes.uint8(buffer, reasonAt);
        if (reasonAt + 1 + reasonLength > bodyEnd) {
            return null;
        }
        try {
            String reason = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer, reasonAt + 1, reasonLength))
                    .toString();
            return new Bye(ssrcs, Optional.of(reason));
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private RtcpPacket transportFeedback(int body, int bodyEnd, int format) {
        if (bodyEnd - body < 8) {
            return null;
        }
        int sender = Bytes.int32(buffer, body);
        int media = Bytes.int32(buffer, body + 4);
        if (format == GenericNack.FORMAT) {
            int pairs = (bodyEnd - body - 8) / 4;
            if (pairs == 0) {
                // RFC 4585 §6.2.1: a NACK carries at least one FCI entry.
                return null;
            }
            List<Integer> lost = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                int pid = Bytes.uint16(buffer, body + 8 + 4 * i);
                int blp = Bytes.uint16(buffer, body + 10 + 4 * i);
                lost.add(pid);
                for (int bit = 0; bit < 16; bit++) {
                    if ((blp & (1 << bit)) != 0) {
                        lost.add((pid + bit + 1) & 0xffff);
                    }
                }
            }
            return new GenericNack(sender, media, lost);
        }
        if (format == TransportCcFeedback.FORMAT) {
            return TransportCcFeedback.read(sender, media, buffer, body + 8, bodyEnd);
        }
        return unparsed();
    }

    private RtcpPacket payloadFeedback(int body, int bodyEnd, int format) {
        if (bodyEnd - body < 8) {
            return null;
        }
        int sender = Bytes.int32(buffer, body);
        int media = Bytes.int32(buffer, body + 4);
        if (format == PictureLossIndication.FORMAT) {
            return new PictureLossIndication(sender, media);
        }
        if (format == FullIntraRequest.FORMAT) {
            int entries = (bodyEnd - body - 8) / 8;
            List<FullIntraRequest.Entry> list = new ArrayList<>(entries);
            for (int i = 0; i < entries; i++) {
                int pos = body + 8 + 8 * i;
                list.add(new FullIntraRequest.Entry(Bytes.int32(buffer, pos), Bytes.uint8(buffer, pos + 4)));
            }
            return new FullIntraRequest(sender, list);
        }
        if (format == Remb.FORMAT && bodyEnd - body >= 16 && Bytes.int32(buffer, body + 8) == Remb.IDENTIFIER) {
            int count = Bytes.uint8(buffer, body + 12);
            int exponent = Bytes.uint8(buffer, body + 13) >>> 2;
            long mantissa = Bytes.uint24(buffer, body + 13) & 0x3ffff;
            if (body + 16 + 4 * count > bodyEnd
                    || (mantissa != 0 && exponent > Long.numberOfLeadingZeros(mantissa) - 1)) {
                return null;
            }
            List<Integer> ssrcs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ssrcs.add(Bytes.int32(buffer, body + 16 + 4 * i));
            }
            return new Remb(sender, mantissa << exponent, ssrcs);
        }
        return unparsed();
    }
}
