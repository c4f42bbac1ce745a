package io.tribune.notify.reminders;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.tribune.events.NotificationEvents;
import io.tribune.notify.core.MeetingMails;
import io.tribune.notify.core.MeetingPlan;
import io.tribune.notify.core.MeetingPlans;
import io.tribune.notify.delivery.Deliveries;
import io.tribune.notify.mail.Email;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meeting reminders on db-scheduler: one task instance per meeting ({@code meeting-reminder/<meetingId>}), due
 * at the earliest reminder time of the meeting's next occurrences: each invitee's lead time is their preference
 * (from the api-server, {@link io.tribune.notify.core.RecipientPreferences}) or {@code leadTime}; invitees who
 * turned reminders off get none. When it runs it reads the meeting's current
 * {@link MeetingPlan}, sends a reminder for every occurrence whose time has come and that has not started, then
 * moves itself to the next occurrence's reminder time (or removes itself after the last).
 *
 * <p>Exactly one reminder per occurrence per recipient: db-scheduler runs a due instance on one worker instance
 * at a time, across instances and restarts; if an instance dies mid-run another runs it again, and the delivery
 * log (notification id = meeting, occurrence start, address) keeps that from mailing anyone twice. A moved
 * occurrence has a new start and so gets its own reminder; a cancelled one is skipped.
 *
 * <p>Invitees with an account also get their reminder in the api-server's bell and their browsers: each due
 * reminder of one is reported once ({@link DueReports}, {@code notification.reminder_due}), whether or not they
 * get the mail, so their lead times count even when they turned reminder mails off.
 *
 * <p>Thread-safe: called from the Kafka consumer thread ({@link #planChanged}, {@link #meetingCancelled}) and
 * db-scheduler's threads.
 */
public final class Reminders {

    public static final String TASK_NAME = "meeting-reminder";
    private static final Logger LOG = LoggerFactory.getLogger(Reminders.class);

    private final MeetingPlans plans;
    private final MeetingMails mails;
    private final Deliveries deliveries;
    private final Duration lead;
    private final Clock clock;
    private final CustomTask<Void> task;
    private final Counter sent;
    private final Counter late;
    private volatile SchedulerClient client;
    private volatile DueReports reports = DueReports.NONE;

    /**
     * Where reminders that came due for invitees with accounts are reported ({@code notification.reminder_due} on
     * {@code tribune.notifications}, for the api-server's bell and pushes).
     */
    @FunctionalInterface
    public interface DueReports {
        DueReports NONE = due -> {
        };

        /** Reports one; throws when it could not (the run is tried again). */
        void due(NotificationEvents.ReminderDue due);
    }

    public Reminders(MeetingPlans plans, MeetingMails mails, Deliveries deliveries, Duration lead, Clock clock,
                     MetricRegistry metrics) {
        this.plans = plans;
        this.mails = mails;
        this.deliveries = deliveries;
        this.lead = lead;
        this.clock = clock;
        this.sent = metrics.counter("notification.reminders.sent");
        this.late = metrics.counter("notification.reminders.late_over_5s");
        // A failed run (database down) is tried again in 30 s, not db-scheduler's default 5 minutes.
        this.task = Tasks.custom(TASK_NAME, Void.class)
                .onFailureReschedule(Schedules.fixedDelay(Duration.ofSeconds(30)))
                .execute((instance, context) -> run(instance.getId(), context.getExecution().executionTime));
    }

    public CustomTask<Void> task() {
        return task;
    }

    /** Set once at startup, before the consumer starts. */
    public void attach(SchedulerClient schedulerClient) {
        this.client = schedulerClient;
    }

    /** Also reports each due reminder of an invitee with an account to {@code dueReports}. Set at startup. */
    public Reminders reportingTo(DueReports dueReports) {
        this.reports = dueReports;
        return this;
    }

    /**
     * Moves the meeting's reminder to its next occurrence's reminder time, or removes it when no occurrence is
     * left. Throws {@link TaskInstanceCurrentlyExecutingException} while that reminder is being sent: the caller
     * tries again shortly (the Kafka consumer kit's retry).
     */
    public void planChanged(MeetingPlan plan) {
        Instant now = clock.instant();
        Optional<Instant> next = mails.reminderLeads(plan, lead).stream()
                .flatMap(l -> Occurrences.nextReminder(plan, l, now).stream()).min(Comparator.naturalOrder());
        if (next.isEmpty()) {
            meetingCancelled(plan.meetingId());
            return;
        }
        TaskInstanceId id = TaskInstanceId.of(TASK_NAME, plan.meetingId());
        if (!client.scheduleIfNotExists(task.instance(plan.meetingId()), next.get())) {
            try {
                client.reschedule(id, next.get());
            } catch (TaskInstanceNotFoundException e) {
                // It ran and removed itself between the two calls.
                client.scheduleIfNotExists(task.instance(plan.meetingId()), next.get());
            }
        }
        LOG.debug("reminder of meeting {} due at {}", plan.meetingId(), next.get());
    }

    /** Removes the meeting's reminder (see {@link #planChanged} for the exception while it runs). */
    public void meetingCancelled(String meetingId) {
        try {
            client.cancel(TaskInstanceId.of(TASK_NAME, meetingId));
        } catch (TaskInstanceNotFoundException e) {
            // nothing scheduled
        }
    }

    private CompletionHandler<Void> run(String meetingId, Instant dueAt) {
        try {
            Optional<MeetingPlan> plan = plans.find(meetingId);
            if (plan.isEmpty()) {
                return (complete, operations) -> operations.remove();
            }
            Instant now = clock.instant();
            if (Duration.between(dueAt, now).toSeconds() > 5) {
                late.inc();
            }
            // Each invitee's own lead time (their preference, else the default): the longest decides which
            // occurrences may have a reminder due; reminders() keeps the people whose time has come.
            Duration longest = mails.reminderLeads(plan.get(), lead).stream().max(Comparator.naturalOrder())
                    .orElse(lead);
            for (Occurrences.Occurrence occurrence : Occurrences.due(plan.get(), longest, now)) {
                for (Email email : mails.reminders(plan.get(), occurrence, lead, now)) {
                    if (deliveries.deliver(email).outcome() != Deliveries.Outcome.DUPLICATE) {
                        sent.inc();
                    }
                }
                for (NotificationEvents.ReminderDue due : mails.remindersDue(plan.get(), occurrence, lead, now)) {
                    DueReports to = reports;
                    if (to != DueReports.NONE) {
                        deliveries.reportOnce(MeetingMails.dueId(due), "reminder_due", due.email(),
                                () -> to.due(due));
                    }
                }
            }
            // Read again: a change that arrived while this ran (and could not move the running task) wins.
            Optional<MeetingPlan> latest = plans.find(meetingId);
            Optional<Instant> next = latest.flatMap(p -> mails.reminderLeads(p, lead).stream()
                    .flatMap(l -> Occurrences.nextReminderAfter(p, l, now).stream())
                    .min(Comparator.naturalOrder()));
            if (next.isEmpty()) {
                return (complete, operations) -> operations.remove();
            }
            Instant at = next.get();
            return (complete, operations) -> operations.reschedule(complete, at);
        } catch (SQLException e) {
            throw new IllegalStateException("reminder of meeting " + meetingId + ": " + e.getMessage(), e);
        }
    }
}
