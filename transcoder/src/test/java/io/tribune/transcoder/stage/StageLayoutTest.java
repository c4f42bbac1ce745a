package io.tribune.transcoder.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StageLayoutTest {

    private static StageDescription.Stream video(String participant, String track, String source, int port) {
        return new StageDescription.Stream(participant, track, source, "video", "VP8", port,
                "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96");
    }

    private static final StageDescription.Stream ANN_CAMERA = video("ann", "camera-a", "camera", 5004);
    private static final StageDescription.Stream BEN_CAMERA = video("ben", "camera-b", "camera", 5006);
    private static final StageDescription.Stream BEN_SCREEN = video("ben", "screen-b", "screen", 5008);
    private static final StageDescription.Stream ANN_MIC = new StageDescription.Stream("ann", "microphone-a",
            "microphone", "audio", "OPUS", 5010, "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000");

    private static StageLayout.Placement placed(List<StageLayout.Placement> layout, String track) {
        return layout.stream().filter(p -> p.trackId().equals(track)).findFirst().orElseThrow();
    }

    @Nested
    class WithoutAScreenShare {
        @Test
        void showsTheActiveSpeakersCameraFullFrame() {
            List<StageLayout.Placement> layout = StageLayout.place(new StageDescription("r", "ben",
                    List.of(ANN_CAMERA, BEN_CAMERA, ANN_MIC), 1), 1280, 720);
            assertThat(layout).hasSize(2);
            assertThat(placed(layout, "camera-b")).isEqualTo(new StageLayout.Placement("camera-b", 0, 0, 1280, 720,
                    true));
            assertThat(placed(layout, "camera-a").visible()).isFalse();
        }

        @Test
        void showsTheFirstCameraBeforeAnyoneSpoke() {
            List<StageLayout.Placement> layout = StageLayout.place(new StageDescription("r", null,
                    List.of(ANN_CAMERA, BEN_CAMERA), 1), 1280, 720);
            assertThat(placed(layout, "camera-a").visible()).isTrue();
            assertThat(placed(layout, "camera-b").visible()).isFalse();
        }
    }

    @Test
    void showsAScreenShareLargeWithTheSpeakersCameraBesideIt() {
        List<StageLayout.Placement> layout = StageLayout.place(new StageDescription("r", "ann",
                List.of(ANN_CAMERA, BEN_CAMERA, BEN_SCREEN), 1), 1280, 720);
        assertThat(placed(layout, "screen-b")).isEqualTo(new StageLayout.Placement("screen-b", 0, 90, 960, 540,
                true));
        assertThat(placed(layout, "camera-a")).isEqualTo(new StageLayout.Placement("camera-a", 960, 270, 320, 180,
                true));
        assertThat(placed(layout, "camera-b").visible()).isFalse();
    }

    @Test
    void refusesADescriptionItCannotReceive() {
        assertThatThrownBy(() -> StageDescription.parse("nope")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> StageDescription.parse("{}")).hasMessageContaining("no streams");
        String stream = "{\"participant_id\":\"a\",\"track_id\":\"t\",\"source\":\"camera\",\"media\":\"video\","
                + "\"encoding_name\":\"%s\",\"port\":%d,\"caps\":\"%s\"}";
        String caps = "application/x-rtp,media=video";
        assertThatThrownBy(() -> StageDescription.parse("{\"streams\":[" + String.format(stream, "AV1", 5004, caps)
                + "]}")).hasMessageContaining("unsupported encoding_name AV1");
        assertThatThrownBy(() -> StageDescription.parse("{\"streams\":[" + String.format(stream, "VP8", 70000, caps)
                + "]}")).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> StageDescription.parse("{\"streams\":[" + String.format(stream, "VP8", 5004,
                "application/x-rtp ! fakesink") + "]}")).hasMessageContaining("bad caps");
        assertThat(StageDescription.parse("{\"room\":\"r\",\"active_speaker\":null,\"streams\":["
                + String.format(stream, "VP8", 5004, caps) + "]}").streams()).hasSize(1);
    }
}
