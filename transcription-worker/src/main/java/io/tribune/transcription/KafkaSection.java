package io.tribune.transcription;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/** The {@code kafka:} section: the brokers, the consumer group and how many consumers this process runs. */
public class KafkaSection {

    @NotBlank
    private String bootstrapServers = "127.0.0.1:9092";

    /** The consumer group, and the name in the dead-letter topic {@code tribune.dlq.<group>}. */
    @NotBlank
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,100}", message = "must be lower-case letters, digits, '.' or '-'")
    private String group = "transcription-worker";

    /** Consumers (threads) in this process; each takes its share of the partitions and their tracks. */
    @Min(1)
    @Max(64)
    private int consumers = 1;

    @Min(1)
    @Max(10_000)
    private int maxPollRecords = 500;

    @NotNull
    @MinDuration(value = 6, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    private Duration sessionTimeout = Duration.seconds(10);

    /** Where a partition new to the group starts, before now (0: at the end of the topic). */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    private Duration newGroupRewind = Duration.seconds(30);

    /** How far back an assigned partition is read for the tracks open before the start position (0: not at all). */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 24, unit = TimeUnit.HOURS)
    private Duration lookback = Duration.hours(4);

    /** A look-back that takes longer fails (the partition's older tracks are then skipped). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 30, unit = TimeUnit.MINUTES)
    private Duration lookbackTimeout = Duration.minutes(2);

    @JsonProperty
    public String getBootstrapServers() {
        return bootstrapServers;
    }

    @JsonProperty
    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @JsonProperty
    public String getGroup() {
        return group;
    }

    @JsonProperty
    public void setGroup(String group) {
        this.group = group;
    }

    @JsonProperty
    public int getConsumers() {
        return consumers;
    }

    @JsonProperty
    public void setConsumers(int consumers) {
        this.consumers = consumers;
    }

    @JsonProperty
    public int getMaxPollRecords() {
        return maxPollRecords;
    }

    @JsonProperty
    public void setMaxPollRecords(int maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
    }

    @JsonProperty
    public Duration getSessionTimeout() {
        return sessionTimeout;
    }

    @JsonProperty
    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    @JsonProperty
    public Duration getNewGroupRewind() {
        return newGroupRewind;
    }

    @JsonProperty
    public void setNewGroupRewind(Duration newGroupRewind) {
        this.newGroupRewind = newGroupRewind;
    }

    @JsonProperty
    public Duration getLookback() {
        return lookback;
    }

    @JsonProperty
    public void setLookback(Duration lookback) {
        this.lookback = lookback;
    }

    @JsonProperty
    public Duration getLookbackTimeout() {
        return lookbackTimeout;
    }

    @JsonProperty
    public void setLookbackTimeout(Duration lookbackTimeout) {
        this.lookbackTimeout = lookbackTimeout;
    }
}
