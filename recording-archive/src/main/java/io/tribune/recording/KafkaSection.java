package io.tribune.recording;

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

/** The {@code kafka:} section: the brokers and the consumer group. */
public class KafkaSection {

    @NotBlank
    private String bootstrapServers = "127.0.0.1:9092";

    /** The consumer group, and the name in the dead-letter topic {@code tribune.dlq.<group>}. */
    @NotBlank
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,100}", message = "must be lower-case letters, digits, '.' or '-'")
    private String group = "recording-archive";

    /** Attempts to store a finished track (S3 or the database down) before its recording is reported failed. */
    @Min(1)
    @Max(20)
    private int maxAttempts = 6;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration retryBackoff = Duration.seconds(1);

    /** Keep all waits of one track (maxAttempts of them) well under Kafka's 5-minute max.poll.interval. */
    @NotNull
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration maxRetryBackoff = Duration.seconds(30);

    /** Records per poll; each poll ends with a commit of what is safely stored. */
    @Min(1)
    @Max(10_000)
    private int maxPollRecords = 500;

    /**
     * How long the group waits for a member that stopped answering before its partitions go to another: a crashed
     * instance's tracks wait this long (Kafka's default, 45 s; the broker allows 6 s to 5 min).
     */
    @NotNull
    @MinDuration(value = 6, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    private Duration sessionTimeout = Duration.seconds(45);

    @JsonProperty
    public Duration getSessionTimeout() {
        return sessionTimeout;
    }

    @JsonProperty
    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
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
    public int getMaxAttempts() {
        return maxAttempts;
    }

    @JsonProperty
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @JsonProperty
    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    @JsonProperty
    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    @JsonProperty
    public Duration getMaxRetryBackoff() {
        return maxRetryBackoff;
    }

    @JsonProperty
    public void setMaxRetryBackoff(Duration maxRetryBackoff) {
        this.maxRetryBackoff = maxRetryBackoff;
    }
}
