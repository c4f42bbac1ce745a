package io.tribune.notify.delivery;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Durable retries of mails the relay refused for now: a db-scheduler task instance per notification
 * ({@code email-retry/<notificationId>}) that sends the stored message again at its backoff time and reschedules
 * itself while attempts remain. Thread-safe.
 */
public final class RetryTask implements Deliveries.RetryScheduler {

    public static final String TASK_NAME = "email-retry";

    private final CustomTask<Void> task;
    private volatile SchedulerClient client;

    public RetryTask(Deliveries deliveries) {
        this.task = Tasks.custom(TASK_NAME, Void.class)
                .onFailureReschedule(Schedules.fixedDelay(Duration.ofSeconds(30)))
                .execute((instance, context) -> {
                    try {
                        Deliveries.Result result = deliveries.retry(UUID.fromString(instance.getId()));
                        if (result.outcome() == Deliveries.Outcome.RETRY_SCHEDULED) {
                            Instant next = result.nextAttempt();
                            return (CompletionHandler<Void>) (complete, operations) ->
                                    operations.reschedule(complete, next);
                        }
                        return (complete, operations) -> operations.remove();
                    } catch (SQLException e) {
                        throw new IllegalStateException("retry of " + instance.getId() + ": " + e.getMessage(), e);
                    }
                });
    }

    public CustomTask<Void> task() {
        return task;
    }

    public void attach(SchedulerClient schedulerClient) {
        this.client = schedulerClient;
    }

    @Override
    public void scheduleRetry(UUID notificationId, Instant at) {
        client.scheduleIfNotExists(task.instance(notificationId.toString()), at);
    }
}
