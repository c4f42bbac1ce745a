package io.tribune.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    /** A VP8 packet as Chromium sends it: marker, PT 96, seq 0x1234, ts 0xdecafbad, SSRC 0xcafebabe. */
    private static final byte[] PLAIN = Hex.bytes("80e01234 decafbad cafebabe 0102030405");

    private record Element(int id, String data) {
    }

    private static List<Element> elements(RtpPacket packet) {
        List<Element> out = new ArrayList<>();
        HeaderExtensionCursor cursor = packet.extensions();
        while (cursor.next()) {
            byte[] data = Arrays.copyOfRange(packet.buffer(), cursor.dataOffset(),
                    cursor.dataOffset() + cursor.dataLength());
            out.add(new Element(cursor.id(), Hex.string(data)));
        }
        assertThat(cursor.isMalformed()).isFalse();
        return out;
    }

    @Nested
    class WhenWellFormed {

        @Test
        void readsTheFixedHeaderFields() {
            RtpPacket packet = RtpPacket.parse(PLAIN, 0, PLAIN.length);

            assertThat(packet.malformation()).isEqualTo(Malformation.NONE);
            assertThat(packet.version()).isEqualTo(2);
            assertThat(packet.marker()).isTrue();
            assertThat(packet.payloadType()).isEqualTo(96);
            assertThat(packet.sequenceNumber()).isEqualTo(0x1234);
            assertThat(packet.timestamp()).isEqualTo(0xdecafbadL);
            assertThat(packet.ssrc()).isEqualTo(0xcafebabe);
            assertThat(packet.headerLength()).isEqualTo(12);
            assertThat(packet.payloadOffset()).isEqualTo(12);
            assertThat(packet.payloadLength()).isEqualTo(5);
            assertThat(packet.hasExtension()).isFalse();
            assertThat(elements(packet)).isEmpty();
        }

        @Test
        void readsAPacketAtAnOffsetWithoutCopying() {
            byte[] buf = new byte[PLAIN.length + 7];
            System.arraycopy(PLAIN, 0, buf, 7, PLAIN.length);

            RtpPacket packet = RtpPacket.parse(buf, 7, PLAIN.length);

            assertThat(packet.buffer()).isSameAs(buf);
            assertThat(packet.ssrc()).isEqualTo(0xcafebabe);
            assertThat(packet.payloadOffset()).isEqualTo(19);
        }

        @Test
        void readsCsrcs() {
            byte[] bytes = Hex.bytes("82000001 00000002 00000003 11111111 22222222 ff");

            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);

            assertThat(packet.csrcCount()).isEqualTo(2);
            assertThat(packet.csrc(0)).isEqualTo(0x11111111);
            assertThat(packet.csrc(1)).isEqualTo(0x22222222);
            assertThat(packet.payloadOffset()).isEqualTo(20);
            assertThat(packet.payloadLength()).isEqualTo(1);
        }

        @Test
        void excludesPaddingFromThePayload() {
            byte[] bytes = Hex.bytes("a0000001 00000002 00000003 aabb 000003");

            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);

            assertThat(packet.hasPadding()).isTrue();
            assertThat(packet.paddingLength()).isEqualTo(3);
            assertThat(packet.payloadLength()).isEqualTo(2);
        }

        /** The one-byte form of RFC 8285 §4.2, laid out like its figure: ids 1, 2 and 3 with 1, 2 and 4 bytes. */
        @Test
        void walksOneByteHeaderExtensionsSkippingPadding() {
            byte[] bytes = Hex.bytes("90000001 00000002 00000003 bede0003 10aa21bb bb000033 cccccccc 99");

            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);

            assertThat(packet.extensionProfile()).isEqualTo(RtpPacket.ONE_BYTE_PROFILE);
            assertThat(packet.extensionDataLength()).isEqualTo(12);
            assertThat(elements(packet)).containsExactly(
                    new Element(1, "aa"), new Element(2, "bbbb"), new Element(3, "cccccccc"));
            assertThat(packet.payloadLength()).isEqualTo(1);
        }

        @Test
        void stopsAtTheReservedOneByteId15() {
            byte[] bytes = Hex.bytes("90000001 00000002 00000003 bede0001 10aaf000");

            assertThat(elements(RtpPacket.parse(bytes, 0, bytes.length))).containsExactly(new Element(1, "aa"));
        }

        /** The two-byte form of RFC 8285 §4.3, with appbits 5, a zero-length element and an id above 14. */
        @Test
        void walksTwoByteHeaderExtensions() {
            byte[] bytes = Hex.bytes("90000001 00000002 00000003 10050002 0700ff03 01020300");

            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);

            assertThat(packet.extensions().isTwoByte()).isTrue();
            assertThat(elements(packet)).containsExactly(new Element(7, ""), new Element(255, "010203"));
        }

        @Test
        void ignoresExtensionsOfAnUnknownProfile() {
            byte[] bytes = Hex.bytes("90000001 00000002 00000003 abcd0001 10aa0000");

            assertThat(elements(RtpPacket.parse(bytes, 0, bytes.length))).isEmpty();
        }

        @Test
        void rewritesHeaderFieldsInPlace() {
            byte[] bytes = PLAIN.clone();
            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);

            packet.setSsrc(0x01020304);
            packet.setSequenceNumber(0xfffe);
            packet.setTimestamp(0xffffffffL);
            packet.setPayloadType(111);
            packet.setMarker(false);

            assertThat(Hex.string(bytes)).isEqualTo("806ffffeffffffff010203040102030405");
        }
    }

    @Nested
    class WhenBuilt {

        @Test
        void roundTripsEveryFieldThroughTheOneByteForm() {
            byte[] bytes = new RtpPacketBuilder().marker(true).payloadType(111).sequenceNumber(65535)
                    .timestamp(0x89abcdefL).ssrc(0x7fffffff).csrcs(5, 6, 7)
                    .extension(1, Hex.bytes("30")).extension(14, new byte[16]).payload(Hex.bytes("deadbeef"))
                    .padding(4).build();

            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);

            assertThat(packet.isWellFormed()).isTrue();
            assertThat(packet.marker()).isTrue();
            assertThat(packet.payloadType()).isEqualTo(111);
            assertThat(packet.sequenceNumber()).isEqualTo(65535);
            assertThat(packet.timestamp()).isEqualTo(0x89abcdefL);
            assertThat(packet.ssrc()).isEqualTo(0x7fffffff);
            assertThat(new int[] {packet.csrc(0), packet.csrc(1), packet.csrc(2)}).containsExactly(5, 6, 7);
            assertThat(packet.extensionProfile()).isEqualTo(RtpPacket.ONE_BYTE_PROFILE);
            assertThat(elements(packet)).containsExactly(
                    new Element(1, "30"), new Element(14, "00".repeat(16)));
            assertThat(Arrays.copyOfRange(bytes, packet.payloadOffset(),
                    packet.payloadOffset() + packet.payloadLength())).isEqualTo(Hex.bytes("deadbeef"));
            assertThat(packet.paddingLength()).isEqualTo(4);
        }

        @Test
        void usesTheTwoByteFormWhenAnElementDoesNotFitOneByte() {
            byte[] bytes = new RtpPacketBuilder().extension(3, Hex.bytes("01")).extension(20, new byte[0])
                    .build();

            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);

            assertThat(packet.extensionProfile()).isEqualTo(RtpPacket.TWO_BYTE_PROFILE);
            assertThat(elements(packet)).containsExactly(new Element(3, "01"), new Element(20, ""));
        }
    }

    @Nested
    class WhenMalformed {

        private Malformation reason(String hex) {
            byte[] bytes = Hex.bytes(hex);
            return RtpPacket.parse(bytes, 0, bytes.length).malformation();
        }

        @Test
        void rejectsPacketsShorterThanTheFixedHeader() {
            assertThat(reason("80e01234 decafbad cafeba")).isEqualTo(Malformation.TOO_SHORT);
        }

        @Test
        void rejectsVersionsOtherThanTwo() {
            assertThat(reason("40e01234 decafbad cafebabe")).isEqualTo(Malformation.BAD_VERSION);
        }

        @Test
        void rejectsACsrcListPastTheEnd() {
            assertThat(reason("83e01234 decafbad cafebabe 00000001 00000002")).isEqualTo(Malformation.CSRC_OVERRUN);
        }

        @Test
        void rejectsAHeaderExtensionPastTheEnd() {
            assertThat(reason("90e01234 decafbad cafebabe bede")).isEqualTo(Malformation.EXTENSION_OVERRUN);
            assertThat(reason("90e01234 decafbad cafebabe bede0002 10aa0000"))
                    .isEqualTo(Malformation.EXTENSION_OVERRUN);
        }

        @Test
        void rejectsZeroOrOversizedPadding() {
            assertThat(reason("a0e01234 decafbad cafebabe 0000")).isEqualTo(Malformation.BAD_PADDING);
            assertThat(reason("a0e01234 decafbad cafebabe 0004")).isEqualTo(Malformation.BAD_PADDING);
        }

        @Test
        void rejectsAnOffsetAndLengthOutsideTheBuffer() {
            assertThat(RtpPacket.parse(PLAIN, 10, PLAIN.length).malformation()).isEqualTo(Malformation.TOO_SHORT);
            assertThat(RtpPacket.parse(PLAIN, -1, 12).malformation()).isEqualTo(Malformation.TOO_SHORT);
        }

        /** Found by RtpPacketFuzzTest: 0x08 is id 0 with a length, which RFC 8285 §4.2 does not allow. */
        @Test
        void flagsAOneByteElementHeaderWithIdZeroAndALength() {
            byte[] bytes = Hex.bytes("90000001 00000002 00000003 bede0001 08aabbcc");
            HeaderExtensionCursor cursor = RtpPacket.parse(bytes, 0, bytes.length).extensions();

            assertThat(cursor.next()).isFalse();
            assertThat(cursor.isMalformed()).isTrue();
        }

        @Test
        void flagsAnExtensionElementThatRunsPastItsBlock() {
            byte[] bytes = Hex.bytes("90000001 00000002 00000003 bede0001 10aa3f00 ffff");
            RtpPacket packet = RtpPacket.parse(bytes, 0, bytes.length);
            HeaderExtensionCursor cursor = packet.extensions();

            assertThat(cursor.next()).isTrue();
            assertThat(cursor.next()).isFalse();
            assertThat(cursor.isMalformed()).isTrue();
        }
    }
}
