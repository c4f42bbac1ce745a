package io.tribune.hls.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class AnnexBTest {

    private static final byte[] AUD = {0x09, (byte) 0xF0};
    private static final byte[] SPS = {0x67, 0x64, 0x00, 0x1F, (byte) 0xAC, 0x2B};
    private static final byte[] PPS = {0x68, (byte) 0xEE, 0x3C, (byte) 0x80};
    private static final byte[] IDR = {0x65, (byte) 0x88, (byte) 0x84, 0x00};
    private static final byte[] SLICE = {0x41, (byte) 0x9A, 0x21};

    @Test
    void splitsAccessUnitsAtTheDelimitersWithLengthPrefixesAndBuildsTheAvcC() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        nal(stream, AUD, 4);
        nal(stream, SPS, 4);
        nal(stream, PPS, 3);
        nal(stream, IDR, 3);
        nal(stream, AUD, 4);
        nal(stream, SLICE, 3);

        AnnexB.Parsed parsed = AnnexB.parse(stream.toByteArray());

        assertThat(parsed.accessUnits()).hasSize(2);
        assertThat(parsed.keyframes()).containsExactly(true, false);
        assertThat(parsed.accessUnits().get(0)).containsExactly(0, 0, 0, 4, 0x65, 0x88, 0x84, 0x00);
        assertThat(parsed.accessUnits().get(1)).containsExactly(0, 0, 0, 3, 0x41, 0x9A, 0x21);
        assertThat(parsed.avcC()).startsWith(1, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0, SPS.length);
        assertThat(parsed.avcC()).endsWith(0xFD, 0xF8, 0xF8, 0); // High profile: 4:2:0, 8 bits
        assertThat(parsed.avcC()).hasSize(6 + 2 + SPS.length + 1 + 2 + PPS.length + 4);
    }

    @Test
    void refusesAStreamWithoutParameterSetsAndSkipsEmptyNals() {
        ByteArrayOutputStream noPps = new ByteArrayOutputStream();
        nal(noPps, SPS, 4);
        nal(noPps, IDR, 4);
        assertThatThrownBy(() -> AnnexB.parse(noPps.toByteArray())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no SPS/PPS");

        ByteArrayOutputStream withEmpty = new ByteArrayOutputStream();
        nal(withEmpty, SPS, 4);
        nal(withEmpty, PPS, 4);
        withEmpty.writeBytes(new byte[] {0, 0, 1}); // a start code with nothing after it
        nal(withEmpty, IDR, 3);
        assertThat(AnnexB.parse(withEmpty.toByteArray()).accessUnits()).hasSize(1);
    }

    private static void nal(ByteArrayOutputStream stream, byte[] nal, int startCodeBytes) {
        if (startCodeBytes == 4) {
            stream.write(0);
        }
        stream.writeBytes(new byte[] {0, 0, 1});
        stream.writeBytes(nal);
    }
}
