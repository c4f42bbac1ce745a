package io.tribune.sfu.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Picture sizes from real sequence parameter sets: each was cut from x264's Annex B output for one frame of
 * ffmpeg's test source at that size and profile (high: chroma format and scaling-list flags; 360, 180 and 1080
 * lines need frame cropping).
 */
class H264SpsTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @ParameterizedTest
    @CsvSource({
            "6764001facd9405005bb011000000300100000030020f1831960, 1280, 720",
            "6742c016d900a02ff97011000003000100000300020f162e48, 640, 360",
            "674d400ceca0a0cfcf80880000030008000003001078a14cb0, 320, 180",
            "67640028acd940780227e5c044000003000400000300083c60c658, 1920, 1080"})
    void readsTheCroppedSize(String sps, int width, int height) {
        byte[] unit = hex(sps);
        assertThat(H264Sps.size(unit, 0, unit.length)).containsExactly(width, height);
    }

    @Test
    void findsTheSpsInsideAStapA() {
        byte[] sps = hex("6742c016d900a02ff97011000003000100000300020f162e48");
        byte[] pps = hex("68ce3c80");
        byte[] stap = new byte[1 + 2 + sps.length + 2 + pps.length];
        stap[0] = 24;
        stap[2] = (byte) sps.length;
        System.arraycopy(sps, 0, stap, 3, sps.length);
        stap[3 + sps.length + 1] = (byte) pps.length;
        System.arraycopy(pps, 0, stap, 3 + sps.length + 2, pps.length);
        assertThat(H264Payload.isKeyFrame(stap, 0, stap.length)).isTrue();
        assertThat(H264Payload.spsSize(stap, 0, stap.length)).containsExactly(640, 360);
    }

    @Test
    void rejectsTruncatedAndForeignUnits() {
        byte[] sps = hex("6764001facd9405005bb011000000300100000030020f1831960");
        for (int length = 0; length < 8; length++) {
            assertThat(H264Sps.size(sps, 0, length)).as("first %d bytes", length).isNull();
        }
        byte[] pps = hex("68ce3c80");
        assertThat(H264Sps.size(pps, 0, pps.length)).isNull();
        assertThat(H264Payload.spsSize(pps, 0, pps.length)).isNull();
        // A run of zero bits makes an Exp-Golomb code longer than 32 bits.
        byte[] zeros = hex("6742c016000000000000000000");
        assertThat(H264Sps.size(zeros, 0, zeros.length)).isNull();
    }
}
