package io.tribune.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RtcpCompoundTest {

    private static RtcpParseResult parse(String hex) {
        byte[] bytes = Hex.bytes(hex);
        return RtcpCompoundReader.parse(bytes, 0, bytes.length);
    }

    private static List<RtcpPacket> roundTrip(List<RtcpPacket> packets) {
        byte[] bytes = RtcpCompoundWriter.encode(packets);
        RtcpParseResult result = RtcpCompoundReader.parse(bytes, 0, bytes.length);
        assertThat(result.malformation()).isEqualTo(Malformation.NONE);
        return result.packets();
    }

    @Nested
    class WhenDecodingKnownBytes {

        /** The RR + SDES compound Chromium sends; the SDES is kept raw. */
        @Test
        void decodesAReceiverReportAndKeepsSdesRaw() {
            RtcpParseResult result = parse("81c90007 cafebabe 11223344 05000102 00001234 00000010 89abcdef 00010000"
                    + "81ca0003 cafebabe 01046162 63640000");

            assertThat(result.isWellFormed()).isTrue();
            assertThat(result.packets()).hasSize(2);
            ReceiverReport rr = (ReceiverReport) result.packets().get(0);
            assertThat(rr.senderSsrc()).isEqualTo(0xcafebabe);
            assertThat(rr.reports()).containsExactly(
                    new ReportBlock(0x11223344, 5, 0x102, 0x1234, 0x10, 0x89abcdefL, 0x10000));
            assertThat(result.packets().get(1)).isInstanceOf(UnparsedRtcp.class);
            assertThat(result.packets().get(1).packetType()).isEqualTo(RtcpPacket.PT_SDES);
        }

        @Test
        void signExtendsANegativeCumulativeLoss() {
            RtcpParseResult result = parse("81c90007 00000001 00000002 00fffffe 00000000 00000000 00000000 00000000");

            ReceiverReport rr = (ReceiverReport) result.packets().get(0);
            assertThat(rr.reports().get(0).cumulativeLost()).isEqualTo(-2);
        }

        @Test
        void decodesASenderReport() {
            RtcpParseResult result = parse("80c80006 cafebabe e2c4c2f1 80000000 00015f90 00000064 00001388");

            assertThat(result.packets()).containsExactly(new SenderReport(0xcafebabe, 0xe2c4c2f180000000L,
                    90_000, 100, 5000, List.of()));
        }

        /** RFC 4585 §6.2.1: PID 100 with BLP bits 0 and 2 names 100, 101 and 103. */
        @Test
        void expandsNackBitmasks() {
            RtcpParseResult result = parse("81cd0003 00000001 00000002 00640005");

            assertThat(result.packets()).containsExactly(new GenericNack(1, 2, List.of(100, 101, 103)));
        }

        @Test
        void wrapsNackSequenceNumbersAround65535() {
            RtcpParseResult result = parse("81cd0003 00000001 00000002 ffff0001");

            assertThat(result.packets()).containsExactly(new GenericNack(1, 2, List.of(65535, 0)));
        }

        @Test
        void decodesPictureLossAndFullIntraRequests() {
            RtcpParseResult result = parse("81ce0002 00000001 00000002"
                    + "84ce0004 00000001 00000000 0000abcd 07000000");

            assertThat(result.packets()).containsExactly(new PictureLossIndication(1, 2),
                    new FullIntraRequest(1, List.of(new FullIntraRequest.Entry(0xabcd, 7))));
        }

        /** REMB with exponent 3 and mantissa 125000: 1 Mbit/s, for two SSRCs. */
        @Test
        void decodesRemb() {
            RtcpParseResult result = parse("8fce0006 00000001 00000000 52454d42 020de848 0000000a 0000000b");

            assertThat(result.packets()).containsExactly(new Remb(1, 1_000_000, List.of(10, 11)));
        }

        /**
         * The chunks of draft-holmer-rmcat-transport-wide-cc-extensions-01: §3.1.3's run-length chunk 0x20dd
         * (221 packets received with small deltas) and §3.1.4's 1-bit vector 0x9f1c.
         */
        @Test
        void decodesTheTransportCcChunkExamplesOfTheDraft() {
            StringBuilder deltas = new StringBuilder();
            for (int i = 0; i < 221 + 8; i++) {
                deltas.append("04");
            }
            // 221 + 14 statuses; 221 + 8 of them received: 229 one-byte deltas, then 3 padding bytes.
            int length = 20 + 4 + 229 + 3;
            String header = String.format("af cd %04x", length / 4 - 1);
            RtcpParseResult result = parse(header + "00000001 00000002 0005 00eb 000010 03 20dd 9f1c"
                    + deltas + "000003");

            assertThat(result.malformation()).isEqualTo(Malformation.NONE);
            TransportCcFeedback feedback = (TransportCcFeedback) result.packets().get(0);
            assertThat(feedback.baseSequence()).isEqualTo(5);
            assertThat(feedback.referenceTime()).isEqualTo(16);
            assertThat(feedback.feedbackPacketCount()).isEqualTo(3);
            byte[] statuses = feedback.statuses();
            assertThat(statuses).hasSize(235);
            for (int i = 0; i < 221; i++) {
                assertThat(statuses[i]).isEqualTo(TransportCcFeedback.SMALL_DELTA);
            }
            assertThat(Arrays.copyOfRange(statuses, 221, 235))
                    .containsExactly(0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0);
            assertThat(feedback.receiveDeltas()).hasSize(229).containsOnly(4);
        }

        @Test
        void decodesByeWithAReason() {
            RtcpParseResult result = parse("81cb0003 cafebabe 05686f7573 650000");

            assertThat(result.packets()).containsExactly(new Bye(List.of(0xcafebabe), Optional.of("house")));
        }
    }

    @Nested
    class WhenEncoding {

        @Test
        void roundTripsEveryDecodedType() {
            List<RtcpPacket> packets = List.of(
                    new SenderReport(7, 0x0102030405060708L, 0xffffffffL, 1, 2,
                            List.of(new ReportBlock(9, 255, -8_388_608, 0xffffffffL, 3, 4, 5))),
                    new ReceiverReport(7, List.of(new ReportBlock(9, 0, 8_388_607, 1, 2, 3, 4))),
                    new Bye(List.of(1, 2), Optional.of("héllo")),
                    new Bye(List.of(), Optional.empty()),
                    new GenericNack(7, 9, List.of(65530, 65531, 65535, 3, 4, 2, 100)),
                    new PictureLossIndication(7, 9),
                    new FullIntraRequest(7, List.of(new FullIntraRequest.Entry(9, 255))),
                    new Remb(7, 262_143, List.of(9)),
                    new Remb(7, 3_000_000_000L >>> 14 << 14, List.of()),
                    new TransportCcFeedback(7, 9, 65534, -5, 255,
                            new byte[] {1, 2, 0, 0, 1, 2, 2, 1, 0}, new int[] {255, -300, 0, 32767, -32768, 17}));

            assertThat(roundTrip(packets)).isEqualTo(packets);
        }

        @Test
        void encodesANackAsOnePairPerSixteenFollowingNumbers() {
            GenericNack nack = new GenericNack(1, 2, List.of(100, 101, 103, 116, 117));

            assertThat(Hex.string(RtcpCompoundWriter.encode(List.of(nack))))
                    .isEqualTo("81cd0004" + "00000001" + "00000002" + "00648005" + "00750000");
        }

        @Test
        void encodesRembWithAnEighteenBitMantissa() {
            byte[] bytes = RtcpCompoundWriter.encode(List.of(new Remb(1, 1_000_000, List.of(10, 11))));

            // 1,000,000 needs 20 bits: exponent 2, mantissa 250,000 (0x3d090).
            assertThat(Hex.string(bytes)).isEqualTo("8fce0006" + "00000001" + "00000000" + "52454d42"
                    + "020bd090" + "0000000a" + "0000000b");
        }

        @Test
        void usesRunLengthChunksForLongRunsOfTransportCcStatuses() {
            byte[] statuses = new byte[300];
            Arrays.fill(statuses, TransportCcFeedback.NOT_RECEIVED);
            TransportCcFeedback feedback = new TransportCcFeedback(1, 2, 0, 0, 0, statuses, new int[0]);

            byte[] bytes = RtcpCompoundWriter.encode(List.of(feedback));

            // One run-length chunk of 300 "not received" (0x012c), two bytes of padding with the P bit.
            assertThat(Hex.string(bytes)).isEqualTo("afcd0005" + "00000001" + "00000002" + "0000012c" + "00000000"
                    + "012c0002");
            assertThat(roundTrip(List.of(feedback))).containsExactly(feedback);
        }
    }

    @Nested
    class WhenMalformed {

        @Test
        void rejectsAnEmptyOrTruncatedCompound() {
            assertThat(parse("").malformation()).isEqualTo(Malformation.TOO_SHORT);
            assertThat(parse("81c9").malformation()).isEqualTo(Malformation.TOO_SHORT);
        }

        @Test
        void rejectsALengthPastTheEnd() {
            assertThat(parse("81c90007 cafebabe").malformation()).isEqualTo(Malformation.BAD_LENGTH);
        }

        @Test
        void rejectsTheWholeCompoundWhenALaterPacketIsBad() {
            RtcpParseResult result = parse("80c90001 cafebabe 40c90001 cafebabe");

            assertThat(result.malformation()).isEqualTo(Malformation.BAD_VERSION);
            assertThat(result.packets()).isEmpty();
        }

        @Test
        void rejectsAReportCountTheLengthCannotHold() {
            assertThat(parse("82c90001 cafebabe").malformation()).isEqualTo(Malformation.BAD_BODY);
        }

        @Test
        void rejectsANackWithoutEntries() {
            assertThat(parse("81cd0002 00000001 00000002").malformation()).isEqualTo(Malformation.BAD_BODY);
        }

        @Test
        void rejectsBadPadding() {
            assertThat(parse("a1c90001 cafebabe").malformation()).isEqualTo(Malformation.BAD_PADDING);
        }

        @Test
        void rejectsAByeReasonThatIsNotUtf8() {
            assertThat(parse("81cb0002 cafebabe 01ff0000").malformation()).isEqualTo(Malformation.BAD_BODY);
        }

        @Test
        void rejectsARembBitrateBeyondALong() {
            assertThat(parse("8fce0004 00000001 00000000 52454d42 00ff0001").malformation())
                    .isEqualTo(Malformation.BAD_BODY);
        }

        @Test
        void rejectsTransportCcWithTooFewDeltas() {
            assertThat(parse("8fcd0005 00000001 00000002 00000003 00000000 20030100").malformation())
                    .isEqualTo(Malformation.BAD_BODY);
        }
    }

    @Test
    void walksPacketsInPlaceWithoutDecoding() {
        byte[] bytes = Hex.bytes("80c90001 cafebabe 81ce0002 00000001 00000002");
        RtcpCompoundReader reader = new RtcpCompoundReader(bytes, 0, bytes.length);

        assertThat(reader.next()).isTrue();
        assertThat(reader.packetType()).isEqualTo(RtcpPacket.PT_RR);
        assertThat(reader.next()).isTrue();
        assertThat(reader.packetType()).isEqualTo(RtcpPacket.PT_PSFB);
        assertThat(reader.countOrFormat()).isEqualTo(PictureLossIndication.FORMAT);
        assertThat(reader.packetOffset()).isEqualTo(8);
        assertThat(reader.packetLength()).isEqualTo(12);
        assertThat(reader.next()).isFalse();
        assertThat(reader.malformation()).isEqualTo(Malformation.NONE);
    }
}
