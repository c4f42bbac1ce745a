package io.tribune.notify.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.MeetingEvents;
import io.tribune.events.NotificationEvents;
import io.tribune.notify.calendar.InviteCalendar;
import io.tribune.notify.mail.Templates;
import io.tribune.notify.mail.UnsubscribeLinks;
import io.tribune.notify.reminders.Occurrences;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeetingMailsTest {

    private static final Instant START = Instant.parse("2031-07-01T08:30:00Z");
    private static final URI PUBLIC = URI.create("https://meet.example.org");

    private final MeetingMails mails = new MeetingMails(new Templates(),
            new InviteCalendar(PUBLIC, "tribune@meet.example.org", "Tribune"), new UnsubscribeLinks(PUBLIC, "key"),
            Clock.fixed(START.minusSeconds(600), ZoneOffset.UTC));

    private final MeetingPlan plan = MeetingPlan.of(new MeetingEvents.Scheduled("m-1", "host-1", "Standup",
            "meeting", START, START.plusSeconds(900), "Europe/Paris", null, List.of(
            new MeetingEvents.Invitee("user-1", "Ada@example.org", "participant"),
            new MeetingEvents.Invitee(null, "guest@example.org", "participant"),
            new MeetingEvents.Invitee("host-1", "host@example.org", "host")), 0));

    private final Occurrences.Occurrence occurrence = new Occurrences.Occurrence(START, START, START.plusSeconds(900),
            null);

    @Test
    void reportsTheDueReminderOfEachInviteeWithAnAccountOnly() {
        List<NotificationEvents.ReminderDue> due = mails.remindersDue(plan, occurrence, Duration.ofMinutes(10),
                START.minusSeconds(600));

        assertThat(due).singleElement().isEqualTo(new NotificationEvents.ReminderDue("m-1", "Standup", START,
                "Europe/Paris", "user-1", "Ada@example.org"));
    }

    @Test
    void reportsNothingBeforeTheLeadTime() {
        assertThat(mails.remindersDue(plan, occurrence, Duration.ofMinutes(10), START.minusSeconds(601))).isEmpty();
    }

    @Test
    void givesEachReportAnIdPerMeetingOccurrenceAndAddress() {
        NotificationEvents.ReminderDue due = new NotificationEvents.ReminderDue("m-1", "Standup", START, "UTC",
                "user-1", "ada@example.org");
        assertThat(MeetingMails.dueId(due)).isEqualTo(MeetingMails.dueId(new NotificationEvents.ReminderDue("m-1",
                "Renamed", START, "UTC", "user-1", "ADA@example.org")));
        assertThat(MeetingMails.dueId(due)).isNotEqualTo(MeetingMails.dueId(new NotificationEvents.ReminderDue(
                "m-1", "Standup", START.plusSeconds(86_400), "UTC", "user-1", "ada@example.org")));
    }
}
