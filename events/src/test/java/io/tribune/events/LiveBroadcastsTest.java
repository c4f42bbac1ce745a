package io.tribune.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LiveBroadcastsTest {

    @Test
    void announcementsRoundTrip() {
        LiveBroadcasts.Announcement start = new LiveBroadcasts.Announcement(true, "abcdefghij234567klmn");
        assertThat(start.toJson()).isEqualTo("{\"action\":\"start\",\"meeting_id\":\"abcdefghij234567klmn\"}");
        assertThat(LiveBroadcasts.Announcement.parse(start.toJson())).isEqualTo(start);
        LiveBroadcasts.Announcement stop = new LiveBroadcasts.Announcement(false, "m1");
        assertThat(LiveBroadcasts.Announcement.parse(stop.toJson())).isEqualTo(stop);
    }

    @Test
    void badMessagesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> LiveBroadcasts.Announcement.parse("nope")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> LiveBroadcasts.Announcement.parse("[1]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> LiveBroadcasts.Announcement.parse(null)).hasMessage("not a JSON object");
        assertThatThrownBy(() -> LiveBroadcasts.Announcement.parse("{\"action\":\"pause\",\"meeting_id\":\"m\"}"))
                .hasMessageContaining("action must be start or stop");
        assertThatThrownBy(() -> LiveBroadcasts.Announcement.parse("{\"action\":\"start\",\"meeting_id\":7}"))
                .hasMessage("bad meeting_id null");
        assertThatThrownBy(() -> LiveBroadcasts.Announcement.parse("{\"action\":\"start\",\"meeting_id\":\"a}:b\"}"))
                .hasMessage("bad meeting_id a}:b");
    }

    @Test
    void keysCarryTheMeetingAsAHashTag() {
        assertThat(LiveBroadcasts.egressControl("m1")).isEqualTo("tribune:meeting:{m1}:egress-control");
        assertThat(LiveBroadcasts.egress("m1")).isEqualTo("tribune:meeting:{m1}:egress");
        assertThat(LiveBroadcasts.egressDescription("m1")).isEqualTo("tribune:meeting:{m1}:egress-description");
        assertThat(LiveBroadcasts.owner("m1")).isEqualTo("tribune:broadcasts:owner:{m1}");
    }
}
