package io.tribune.notify;

import static io.tribune.notify.WorkerHarness.subjectStartsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import io.tribune.events.MeetingEvents;
import io.tribune.platform.PlatformExtension;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reminders with the test configuration's lead time of 1 minute: a meeting 1 minute + N s away is due in N s. */
@ExtendWith(PlatformExtension.class)
class ReminderIT {

    private static final Duration LEAD = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private WorkerHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new WorkerHarness();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void remindsEachInviteeExactlyOnceWhenTheWorkerRestartsAtTheDueTimeIntoTwoInstances() throws Exception {
        DropwizardTestSupport<NotificationWorkerConfiguration> first = harness.startWorker();
        List<String> people = addresses(3);
        Instant due = Instant.now().plusSeconds(8);
        harness.publish(scheduled("m-" + UUID.randomUUID(), "Stand-up", due.plus(LEAD), people, 0));
        harness.awaitMails(people, subjectStartsWith("Invitation:"), 3, WAIT);

        sleepUntil(due.minusMillis(300));
        harness.stopWorker(first);
        harness.startWorker();
        harness.startWorker();

        List<MimeMessage> reminders = harness.awaitMails(people, subjectStartsWith("Reminder: Stand-up"), 3, WAIT);
        Thread.sleep(5000);
        reminders = harness.mails(people, subjectStartsWith("Reminder: Stand-up"));
        assertThat(reminders).extracting(m -> m.getAllRecipients()[0].toString())
                .containsExactlyInAnyOrderElementsOf(people);
        assertThat(reminders.get(0).getSubject()).isEqualTo("Reminder: Stand-up starts in 1 minutes");
    }

    @Test
    void movesTheReminderWithTheMeetingAndDropsItWhenTheMeetingIsCancelled() throws Exception {
        harness.startWorker();
        List<String> moved = addresses(2);
        List<String> dropped = addresses(2);
        Instant oldDue = Instant.now().plusSeconds(6);
        Instant newDue = oldDue.plusSeconds(8);
        String movedId = "m-" + UUID.randomUUID();
        String droppedId = "m-" + UUID.randomUUID();
        harness.publish(scheduled(movedId, "Moved", oldDue.plus(LEAD), moved, 0));
        harness.publish(scheduled(droppedId, "Dropped", oldDue.plus(LEAD), dropped, 0));
        Instant start = newDue.plus(LEAD);
        harness.publish(new MeetingEvents.Updated(movedId, "host-1", "Moved", "meeting", start,
                start.plus(30, ChronoUnit.MINUTES), "UTC", null, invitees(moved), 1, null));
        harness.publish(new MeetingEvents.Cancelled(droppedId, "host-1", "Dropped", invitees(dropped), 1, null));

        List<MimeMessage> reminders = harness.awaitMails(moved, subjectStartsWith("Reminder: Moved"), 2, WAIT);
        Instant arrived = Instant.now();
        assertThat(arrived).isAfter(newDue.minusSeconds(1));
        Thread.sleep(3000);
        assertThat(harness.mails(moved, subjectStartsWith("Reminder:"))).hasSize(reminders.size()).hasSize(2);
        assertThat(harness.mails(dropped, subjectStartsWith("Reminder:"))).isEmpty();
        assertThat(harness.mails(dropped, subjectStartsWith("Cancelled: Dropped"))).hasSize(2);
    }

    private static MeetingEvents.Scheduled scheduled(String id, String title, Instant start, List<String> people,
                                                     int sequence) {
        return new MeetingEvents.Scheduled(id, "host-1", title, "meeting", start, start.plus(30, ChronoUnit.MINUTES),
                "UTC", null, invitees(people), sequence);
    }

    private static List<MeetingEvents.Invitee> invitees(List<String> people) {
        return people.stream().map(a -> new MeetingEvents.Invitee(null, a, "participant")).toList();
    }

    private static List<String> addresses(int count) {
        String domain = "rem-" + UUID.randomUUID().toString().substring(0, 8) + ".example.org";
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("person" + i + "@" + domain);
        }
        return addresses;
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
