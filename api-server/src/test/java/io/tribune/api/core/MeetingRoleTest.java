package io.tribune.api.core;

import org.junit.jupiter.api.Test;

import static io.tribune.api.core.Permission.CHAT;
import static io.tribune.api.core.Permission.MODERATE;
import static io.tribune.api.core.Permission.PUBLISH;
import static io.tribune.api.core.Permission.RECORD;
import static io.tribune.api.core.Permission.SCREENSHARE;
import static io.tribune.api.core.Permission.SUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

class MeetingRoleTest {

    private static final MeetingSettings MEETING = MeetingSettings.defaults(MeetingKind.MEETING);
    private static final MeetingSettings NO_RECORDING = new MeetingSettings(true, false, false, false, true, 10,
            false, false, 0, false, false);

    @Test
    void letsTownHallAttendeesAndGuestsOnlySubscribeAndChat() {
        assertThat(MeetingRole.ATTENDEE.permissions(MeetingKind.TOWN_HALL, MEETING))
                .containsExactly(SUBSCRIBE, CHAT);
        assertThat(MeetingRole.GUEST.permissions(MeetingKind.TOWN_HALL, MEETING))
                .containsExactly(SUBSCRIBE, CHAT);
        assertThat(MeetingRole.ATTENDEE.watchesBroadcast(MeetingKind.TOWN_HALL)).isTrue();
        assertThat(MeetingRole.PANELIST.watchesBroadcast(MeetingKind.TOWN_HALL)).isFalse();
    }

    @Test
    void letsGuestsTalkButNotShareTheirScreen() {
        assertThat(MeetingRole.GUEST.permissions(MeetingKind.MEETING, MEETING))
                .containsExactly(PUBLISH, SUBSCRIBE, CHAT);
    }

    @Test
    void letsModeratorsRecordOnlyWhenTheMeetingAllowsIt() {
        assertThat(MeetingRole.HOST.permissions(MeetingKind.MEETING, MEETING))
                .containsExactly(PUBLISH, SUBSCRIBE, SCREENSHARE, CHAT, MODERATE, RECORD);
        assertThat(MeetingRole.CO_HOST.permissions(MeetingKind.MEETING, NO_RECORDING))
                .containsExactly(PUBLISH, SUBSCRIBE, SCREENSHARE, CHAT, MODERATE);
        assertThat(MeetingRole.PARTICIPANT.permissions(MeetingKind.MEETING, MEETING))
                .containsExactly(PUBLISH, SUBSCRIBE, SCREENSHARE, CHAT);
    }

    @Test
    void parsesWireNamesOnly() {
        assertThat(MeetingRole.parse("co_host")).contains(MeetingRole.CO_HOST);
        assertThat(MeetingRole.parse("CO_HOST")).isEmpty();
        assertThat(MeetingRole.parse("owner")).isEmpty();
    }
}
