package io.tribune.notify.reminders;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * db-scheduler for the worker's durable tasks (meeting reminders, mail retries), on its table
 * {@value #TABLE}. The {@link #client()} works before {@link #start()}, so the consumer may schedule while the
 * scheduler is still starting. Every instance of the worker runs one; a due execution is picked by exactly one
 * of them (PostgreSQL {@code SELECT ... FOR UPDATE SKIP LOCKED}).
 */
public final class SchedulerManager implements Managed {

    public static final String TABLE = "notification.scheduled_tasks";
    /** How long stop() lets running executions finish. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Scheduler scheduler;

    public SchedulerManager(DataSource dataSource, List<Task<?>> tasks, RemindersConfiguration configuration,
                            String instanceName) {
        this.scheduler = Scheduler.create(dataSource, tasks)
                .tableName(TABLE)
                .schedulerName(new SchedulerName.Fixed(instanceName))
                .threads(configuration.getThreads())
                .pollingInterval(Duration.ofMillis(configuration.getPollingInterval().toMilliseconds()))
                .heartbeatInterval(Duration.ofMillis(configuration.getHeartbeatInterval().toMilliseconds()))
                .missedHeartbeatsLimit(4)
                .pollUsingLockAndFetch(0.5, 1.0)
                .shutdownMaxWait(SHUTDOWN_WAIT)
                .build();
    }

    public SchedulerClient client() {
        return scheduler;
    }

    public boolean isRunning() {
        return scheduler.getSchedulerState().isStarted() && !scheduler.getSchedulerState().isShuttingDown();
    }

    @Override
    public void start() {
        scheduler.start();
    }

    @Override
    public void stop() {
        scheduler.stop();
    }
}
