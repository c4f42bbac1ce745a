package io.tribune.notify.reminders;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The {@code reminders:} section: when reminders go out and how the durable scheduler runs. */
public class RemindersConfiguration {

    /** How long before each occurrence its reminder is sent. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 7, unit = TimeUnit.DAYS)
    private Duration leadTime = Duration.minutes(10);

    /** How often db-scheduler looks for due reminders and retries: bounds how late a reminder can be. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration pollingInterval = Duration.seconds(2);

    /** Threads running due reminders and retries. */
    @Min(1)
    @Max(64)
    private int threads = 4;

    /**
     * How often a running execution proves its instance alive; after 4 missed beats another instance takes
     * it over (a reminder whose instance died mid-run is sent by another, deduplicated by the delivery log).
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration heartbeatInterval = Duration.seconds(5);

    @JsonProperty
    public Duration getLeadTime() {
        return leadTime;
    }

    @JsonProperty
    public void setLeadTime(Duration leadTime) {
        this.leadTime = leadTime;
    }

    @JsonProperty
    public Duration getPollingInterval() {
        return pollingInterval;
    }

    @JsonProperty
    public void setPollingInterval(Duration pollingInterval) {
        this.pollingInterval = pollingInterval;
    }

    @JsonProperty
    public int getThreads() {
        return threads;
    }

    @JsonProperty
    public void setThreads(int threads) {
        this.threads = threads;
    }

    @JsonProperty
    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    @JsonProperty
    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }
}
