package io.tribune.transcoder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapsTest {

    @Test
    void readsCodecDataAndIntFieldsFromSerializedCaps() {
        String caps = "audio/mpeg, mpegversion=(int)4, framed=(boolean)true, stream-format=(string)raw, "
                + "level=(string)2, base-profile=(string)lc, profile=(string)lc, codec_data=(buffer)1190, "
                + "rate=(int)48000, channels=(int)2";
        assertThat(Caps.codecData(caps)).containsExactly(0x11, 0x90);
        assertThat(Caps.intField(caps, "rate", 0)).isEqualTo(48000);
        assertThat(Caps.intField(caps, "channels", 0)).isEqualTo(2);
        assertThat(Caps.intField(caps, "width", -1)).isEqualTo(-1);
        assertThat(Caps.codecData("video/x-raw, width=(int)640")).isNull();
    }

    @Test
    void doesNotConfuseFieldsThatEndAlike() {
        assertThat(Caps.intField("video/x-h264, max-width=(int)10, width=(int)640", "width", 0)).isEqualTo(640);
    }
}
