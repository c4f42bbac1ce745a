package io.tribune.api.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.MeetingEvents;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvitationNotifierTest {

    private final InvitationNotifier notifier = new InvitationNotifier(null, URI.create("https://meet.example.org/"));

    @Test
    void saysTheStartInTheMeetingsZone() {
        assertThat(InvitationNotifier.when(Instant.parse("2031-07-01T08:30:00Z"), "Europe/Paris"))
                .isEqualTo("Tue 1 Jul 2031, 10:30 (Europe/Paris)");
        assertThat(InvitationNotifier.when(Instant.parse("2031-07-01T08:30:00Z"), "Not/AZone"))
                .isEqualTo("Tue 1 Jul 2031, 08:30 (UTC)");
        assertThat(InvitationNotifier.when(null, "Europe/Paris")).isEmpty();
    }

    @Test
    void givesEachChangeOfAMeetingItsOwnSeed() {
        assertThat(InvitationNotifier.seed("updated", "m1", 3, null)).isEqualTo("meeting.updated|m1|3");
        assertThat(InvitationNotifier.seed("updated", "m1", 4, null))
                .isNotEqualTo(InvitationNotifier.seed("updated", "m1", 3, null));
        assertThat(InvitationNotifier.seed("cancelled", "m1", 3, Instant.parse("2031-07-01T08:30:00Z")))
                .isEqualTo("meeting.cancelled|m1|3|2031-07-01T08:30:00Z");
    }

    @Test
    void linksEachNoticeToTheMeetingAndSaysWhatChanged() {
        Instant start = Instant.parse("2031-07-01T08:30:00Z");
        Notifications.Message invitation = notifier.notice(new MeetingEvents.Scheduled("m1", "h", "Review",
                "meeting", start, start.plusSeconds(1800), "Europe/Paris", "FREQ=WEEKLY", List.of(), 0));
        assertThat(invitation.title()).isEqualTo("Invitation: Review");
        assertThat(invitation.body()).isEqualTo("You are invited to \"Review\", Tue 1 Jul 2031, 10:30 "
                + "(Europe/Paris) (repeats).");
        assertThat(invitation.url()).isEqualTo("https://meet.example.org/app/#/meetings/m1");
        assertThat(invitation.template()).isEqualTo(Notifications.NOTICE_TEMPLATE);

        Notifications.Message moved = notifier.notice(new MeetingEvents.Updated("m1", "h", "Review", "meeting",
                start, start.plusSeconds(1800), "Europe/Paris", null, List.of(), 2, start.minusSeconds(3600)));
        assertThat(moved.body()).isEqualTo("One occurrence of \"Review\" changed: now Tue 1 Jul 2031, 10:30 "
                + "(Europe/Paris).");

        Notifications.Message cancelled = notifier.notice(new MeetingEvents.Cancelled("m1", "h", "Review",
                List.of(), 3, null));
        assertThat(cancelled.title()).isEqualTo("Cancelled: Review");
        assertThat(cancelled.body()).isEqualTo("\"Review\" is cancelled.");
    }
}
