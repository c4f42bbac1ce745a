package io.tribune.api.outbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** The {@code outbox:} section: how the relay moves outbox rows to Kafka. Mutable only while being read. */
public class OutboxConfiguration {

    /** How often the relay looks for unsent rows when no notification woke it earlier. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration pollInterval = Duration.milliseconds(250);

    /** Most rows one relay pass claims, publishes and marks sent in one database transaction. */
    @Min(1)
    @Max(10_000)
    private int batchSize = 500;

    /** Whether the relay also LISTENs for the insert notification, so a new row goes out without waiting a poll. */
    private boolean listenNotify = true;

    /** First wait after a failed publication; it doubles per further failure up to maxBackoff. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    private Duration minBackoff = Duration.milliseconds(500);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration maxBackoff = Duration.seconds(30);

    /** How long sent rows are kept (for audits and replays) before the relay deletes them. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration retention = Duration.days(7);

    @JsonProperty
    public Duration getPollInterval() {
        return pollInterval;
    }

    @JsonProperty
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    @JsonProperty
    public int getBatchSize() {
        return batchSize;
    }

    @JsonProperty
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    @JsonProperty
    public boolean isListenNotify() {
        return listenNotify;
    }

    @JsonProperty
    public void setListenNotify(boolean listenNotify) {
        this.listenNotify = listenNotify;
    }

    @JsonProperty
    public Duration getMinBackoff() {
        return minBackoff;
    }

    @JsonProperty
    public void setMinBackoff(Duration minBackoff) {
        this.minBackoff = minBackoff;
    }

    @JsonProperty
    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    @JsonProperty
    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    @JsonProperty
    public Duration getRetention() {
        return retention;
    }

    @JsonProperty
    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    @JsonIgnore
    @ValidationMethod(message = "outbox.minBackoff must not be longer than outbox.maxBackoff")
    public boolean isBackoffRangeOrdered() {
        return minBackoff == null || maxBackoff == null || minBackoff.toNanoseconds() <= maxBackoff.toNanoseconds();
    }
}
