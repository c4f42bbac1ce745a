package io.tribune.sfu.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.sfu.app.EgressControls;
import io.tribune.sfu.room.MediaContext;
import io.tribune.sfu.room.Rooms;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EgressControlsTest {

    private static final String CHANNEL = "tribune:meeting:{hall-1}:egress-control";

    private ScheduledExecutorService scheduler;
    private StageEgresses egresses;
    private EgressControls controls;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        Rooms rooms = new Rooms(new MediaContext(null, null, scheduler, Clock.systemUTC(), 64, 64, 0));
        egresses = new StageEgresses(rooms, scheduler, Clock.systemUTC());
        controls = new EgressControls("redis://127.0.0.1:1", egresses);
    }

    @AfterEach
    void tearDown() {
        egresses.close();
        scheduler.shutdownNow();
    }

    @Test
    void startsAndStopsARoomsEgress() {
        controls.apply(CHANNEL, "{\"action\":\"start\",\"host\":\"127.0.0.1\",\"port\":5004}");
        assertThat(egresses.description("hall-1")).hasValueSatisfying(d -> {
            assertThat(d.host()).isEqualTo("127.0.0.1");
            assertThat(d.streams()).isEmpty();
            assertThat(d.toSdp()).startsWith("v=0\r\n").contains("c=IN IP4 127.0.0.1\r\n");
        });
        controls.apply(CHANNEL, "{\"action\":\"start\",\"host\":\"127.0.0.1\",\"port\":5004}");
        assertThat(egresses.roomIds()).containsExactly("hall-1");
        controls.apply(CHANNEL, "{\"action\":\"stop\"}");
        assertThat(egresses.description("hall-1")).isEmpty();
        assertThat(controls.applied()).isEqualTo(3);
        assertThat(controls.dropped()).isZero();
    }

    @Nested
    class WhenTheCommandIsBad {
        @Test
        void dropsItAndStartsNothing() {
            for (String bad : List.of("not json", "{}", "{\"action\":\"dance\"}",
                    "{\"action\":\"start\",\"port\":5004}",
                    "{\"action\":\"start\",\"host\":\"127.0.0.1\",\"port\":5005}",
                    "{\"action\":\"start\",\"host\":\"127.0.0.1\",\"port\":80}",
                    "{\"action\":\"start\",\"host\":\"127.0.0.1\",\"port\":\"x\"}")) {
                controls.apply(CHANNEL, bad);
            }
            controls.apply("tribune:meeting:{}:egress-control", "{\"action\":\"stop\"}");
            controls.apply("garbage", "{\"action\":\"stop\"}");
            assertThat(egresses.roomIds()).isEmpty();
            assertThat(controls.dropped()).isEqualTo(9);
            assertThat(controls.applied()).isZero();
        }
    }

    @Test
    void targetsSayWhatIsWrong() {
        assertThatThrownBy(() -> EgressTarget.of("127.0.0.1", 5005)).hasMessageContaining("even");
        assertThatThrownBy(() -> EgressTarget.of(" ", 5004)).hasMessageContaining("host is missing");
        assertThat(EgressTarget.of("127.0.0.1", 5004).port(3)).isEqualTo(5010);
    }

    @Test
    void describesEachStreamWithCapsAndAnSdpSection() {
        EgressDescription description = new EgressDescription("hall-1", "10.0.0.7", "ann", List.of(
                new EgressDescription.Stream("ann", "camera-1", "camera", "video", "VP8", 90_000, 0, 96, 4_000_000_000L,
                        5004, null),
                new EgressDescription.Stream("ann", "microphone-1", "microphone", "audio", "OPUS", 48_000, 2, 111, 7,
                        5006, null),
                new EgressDescription.Stream("ben", "screen-1", "screen", "video", "H264", 90_000, 0, 102, 9, 5008,
                        "packetization-mode=1;profile-level-id=42e01f")), 4);
        assertThat(description.streams().get(0).caps()).isEqualTo("application/x-rtp,media=video,encoding-name=VP8,"
                + "clock-rate=90000,payload=96,ssrc=(uint)4000000000");
        assertThat(description.streams().get(2).caps()).endsWith(",packetization-mode=(string)1");
        assertThat(description.toSdp()).contains("m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n",
                "m=audio 5006 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n",
                "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n", "a=label:screen:ben\r\n");
        assertThat(description.toMap()).containsEntry("active_speaker", "ann").containsKey("sdp");
    }
}
