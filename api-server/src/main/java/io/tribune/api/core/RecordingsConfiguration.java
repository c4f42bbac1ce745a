package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The {@code recordings} section: how long recordings are kept by default and how often the retention sweep
 * deletes expired ones, and the Kafka consumer that follows
 * recording-archive's results ({@code recording.ready} / {@code recording.failed} on {@code tribune.recordings}),
 * and the automatic stop of a recording once everyone has left its meeting ({@link RecordingAutoStop}).
 */
public class RecordingsConfiguration {

    /** Default retention of a new recording (its {@code retention_until} = start + this). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.DAYS)
    private Duration retention = Duration.days(30);

    /**
     * Whether this instance runs the retention sweep (every instance may: batches claim their rows with
     * {@code FOR UPDATE SKIP LOCKED}).
     */
    private boolean sweep = true;

    /** How often the retention sweep looks for recordings past their retention. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration sweepInterval = Duration.minutes(10);

    /** Recordings deleted per sweep transaction. */
    @Min(1)
    @Max(10_000)
    private int sweepBatchSize = 100;

    /** Whether this instance consumes the archive's results (every instance may; the group shares the work). */
    private boolean consumeResults = true;

    /** The consumer group; dead letters go to {@code tribune.dlq.<group>}. */
    @NotNull
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}")
    private String consumerGroup = "api-server-recordings";

    /** Whether this instance stops recordings of meetings everyone left (every instance may; one stop wins). */
    private boolean autoStop = true;

    /** How long a meeting being recorded stays empty before its recording stops (a host may reconnect). */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration autoStopGrace = Duration.minutes(2);

    /**
     * How often each instance looks for meetings whose grace is over: what takes over a grace timer lost in a
     * restart (the timer itself is exact).
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration autoStopSweepInterval = Duration.seconds(15);

    @JsonProperty
    public boolean isAutoStop() {
        return autoStop;
    }

    @JsonProperty
    public void setAutoStop(boolean autoStop) {
        this.autoStop = autoStop;
    }

    @JsonProperty
    public Duration getAutoStopGrace() {
        return autoStopGrace;
    }

    @JsonProperty
    public void setAutoStopGrace(Duration autoStopGrace) {
        this.autoStopGrace = autoStopGrace;
    }

    @JsonProperty
    public Duration getAutoStopSweepInterval() {
        return autoStopSweepInterval;
    }

    @JsonProperty
    public void setAutoStopSweepInterval(Duration autoStopSweepInterval) {
        this.autoStopSweepInterval = autoStopSweepInterval;
    }

    @JsonProperty
    public Duration getRetention() {
        return retention;
    }

    @JsonProperty
    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    @JsonProperty
    public boolean isSweep() {
        return sweep;
    }

    @JsonProperty
    public void setSweep(boolean sweep) {
        this.sweep = sweep;
    }

    @JsonProperty
    public Duration getSweepInterval() {
        return sweepInterval;
    }

    @JsonProperty
    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    @JsonProperty
    public int getSweepBatchSize() {
        return sweepBatchSize;
    }

    @JsonProperty
    public void setSweepBatchSize(int sweepBatchSize) {
        this.sweepBatchSize = sweepBatchSize;
    }

    @JsonProperty
    public boolean isConsumeResults() {
        return consumeResults;
    }

    @JsonProperty
    public void setConsumeResults(boolean consumeResults) {
        this.consumeResults = consumeResults;
    }

    @JsonProperty
    public String getConsumerGroup() {
        return consumerGroup;
    }

    @JsonProperty
    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }
}
