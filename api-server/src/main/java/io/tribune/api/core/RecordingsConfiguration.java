package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The {@code recordings} section: how long recordings are kept by default, and the Kafka consumer that follows
 * recording-archive's results ({@code recording.ready} / {@code recording.failed} on {@code tribune.recordings}).
 */
public class RecordingsConfiguration {

    /** Default retention of a new recording (its {@code retention_until} = start + this). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.DAYS)
    private Duration retention = Duration.days(30);

    /** Whether this instance consumes the archive's results (every instance may; the group shares the work). */
    private boolean consumeResults = true;

    /** The consumer group; dead letters go to {@code tribune.dlq.<group>}. */
    @NotNull
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}")
    private String consumerGroup = "api-server-recordings";

    @JsonProperty
    public Duration getRetention() {
        return retention;
    }

    @JsonProperty
    public void setRetention(Duration retention) {
        this.retention = retention;
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
