package io.tribune.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatagramTypeTest {

    private static DatagramType classify(int... bytes) {
        byte[] buf = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            buf[i] = (byte) bytes[i];
        }
        return DatagramType.of(buf, 0, buf.length);
    }

    @Test
    void classifiesByFirstByteRangesOfRfc7983() {
        assertThat(classify(0, 1)).isEqualTo(DatagramType.STUN);
        assertThat(classify(3, 1)).isEqualTo(DatagramType.STUN);
        assertThat(classify(4, 1)).isEqualTo(DatagramType.UNKNOWN);
        assertThat(classify(16, 1)).isEqualTo(DatagramType.UNKNOWN);
        assertThat(classify(19, 1)).isEqualTo(DatagramType.UNKNOWN);
        assertThat(classify(20, 1)).isEqualTo(DatagramType.DTLS);
        assertThat(classify(22, 0xfe)).isEqualTo(DatagramType.DTLS);
        assertThat(classify(63, 1)).isEqualTo(DatagramType.DTLS);
        assertThat(classify(64, 1)).isEqualTo(DatagramType.UNKNOWN);
        assertThat(classify(127, 1)).isEqualTo(DatagramType.UNKNOWN);
        assertThat(classify(128, 96)).isEqualTo(DatagramType.RTP);
        assertThat(classify(191, 96)).isEqualTo(DatagramType.RTP);
        assertThat(classify(192, 96)).isEqualTo(DatagramType.UNKNOWN);
        assertThat(classify(255, 96)).isEqualTo(DatagramType.UNKNOWN);
    }

    @Test
    void tellsRtcpFromRtpByPacketTypes192To223() {
        assertThat(classify(0x80, 96)).isEqualTo(DatagramType.RTP);
        assertThat(classify(0x80, 0xe0)).isEqualTo(DatagramType.RTP);
        assertThat(classify(0x80, 191)).isEqualTo(DatagramType.RTP);
        assertThat(classify(0x80, 192)).isEqualTo(DatagramType.RTCP);
        assertThat(classify(0x81, 200)).isEqualTo(DatagramType.RTCP);
        assertThat(classify(0x8f, 206)).isEqualTo(DatagramType.RTCP);
        assertThat(classify(0x80, 223)).isEqualTo(DatagramType.RTCP);
        assertThat(classify(0x80, 224)).isEqualTo(DatagramType.RTP);
    }

    @Test
    void treatsEmptyAndOneByteMediaDatagramsAsUnknown() {
        assertThat(DatagramType.of(new byte[0], 0, 0)).isEqualTo(DatagramType.UNKNOWN);
        assertThat(classify(0x80)).isEqualTo(DatagramType.UNKNOWN);
    }

    @Test
    void classifiesAtAnOffset() {
        byte[] buf = {0, 0, (byte) 0x80, (byte) 200};
        assertThat(DatagramType.of(buf, 2, 2)).isEqualTo(DatagramType.RTCP);
    }
}
