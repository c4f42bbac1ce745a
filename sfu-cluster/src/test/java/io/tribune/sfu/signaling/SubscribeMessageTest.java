package io.tribune.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code subscribe}'s last-N and pins, and the speaker and pause events. */
class SubscribeMessageTest {

    @Test
    void readsLastNAndPinsAndWritesThemBack() throws Exception {
        ClientMessage message = SignalingCodec.parse("{\"type\":\"subscribe\",\"id\":7,\"last_n\":2,"
                + "\"preferences\":[{\"track_id\":\"camera-1\",\"pinned\":true}]}");
        assertThat(message).isEqualTo(new ClientMessage.Subscribe(7L,
                List.of(new ClientMessage.Preference("camera-1", null, null, null, true)), 2));
        assertThat(SignalingCodec.parse(SignalingCodec.write(message))).isEqualTo(message);
        ClientMessage withoutLastN = SignalingCodec.parse("{\"type\":\"subscribe\",\"preferences\":[]}");
        assertThat(((ClientMessage.Subscribe) withoutLastN).lastN()).isNull();
        assertThat(((ClientMessage.Subscribe) SignalingCodec.parse(
                "{\"type\":\"subscribe\",\"last_n\":-1,\"preferences\":[]}")).lastN()).isEqualTo(-1);
    }

    @Test
    void refusesABadLastNOrPin() {
        for (String lastN : List.of("-2", "1001", "1.5", "\"3\"", "true")) {
            assertThatThrownBy(() -> SignalingCodec.parse("{\"type\":\"subscribe\",\"last_n\":" + lastN
                    + ",\"preferences\":[]}")).isInstanceOf(SignalingException.class).hasMessageContaining("last_n");
        }
        assertThatThrownBy(() -> SignalingCodec.parse("{\"type\":\"subscribe\",\"preferences\":"
                + "[{\"track_id\":\"a\",\"pinned\":\"yes\"}]}")).isInstanceOf(SignalingException.class)
                .hasMessageContaining("pinned");
    }

    @Test
    void writesTheSpeakerAndPauseEvents() {
        assertThat(SignalingCodec.activeSpeaker("ann"))
                .isEqualTo("{\"type\":\"active_speaker\",\"participant_id\":\"ann\"}");
        assertThat(SignalingCodec.speaking(List.of(Map.entry("ann", 0.7), Map.entry("ben", 0.2))))
                .isEqualTo("{\"type\":\"speaking\",\"speakers\":[{\"participant_id\":\"ann\",\"level\":0.7},"
                        + "{\"participant_id\":\"ben\",\"level\":0.2}]}");
        assertThat(SignalingCodec.trackPaused("ben", "camera-2", true, "last_n")).isEqualTo(
                "{\"type\":\"track_paused\",\"participant_id\":\"ben\",\"track_id\":\"camera-2\",\"reason\":\"last_n\"}");
        assertThat(SignalingCodec.trackPaused("ben", "camera-2", false, "last_n")).startsWith(
                "{\"type\":\"track_resumed\"");
        assertThat(SignalingCodec.joined(1L, "ann", "r", "host", List.of(), List.of(), null))
                .contains("\"active_speaker\":null");
    }
}
