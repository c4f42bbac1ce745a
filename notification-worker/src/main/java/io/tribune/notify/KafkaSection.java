package io.tribune.notify;

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
    private String group = "notification-worker";

    /** Handler attempts per event before it is dead-lettered (a database outage, a bug). */
    @Min(1)
    @Max(20)
    private int maxAttempts = 6;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration retryBackoff = Duration.seconds(1);

    /** Keep all waits of one event (maxAttempts of them) well under Kafka's 5-minute max.poll.interval. */
    @NotNull
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration maxRetryBackoff = Duration.seconds(30);

    /**
     * Events handled at once. Events of one key (a meeting, a user) stay in order; different keys run in parallel,
     * also within one partition, since a mail mostly waits on the SMTP relay and the database.
     */
    @Min(1)
    @Max(64)
    private int handlerThreads = 8;

    @JsonProperty
    public int getHandlerThreads() {
        return handlerThreads;
    }

    @JsonProperty
    public void setHandlerThreads(int handlerThreads) {
        this.handlerThreads = handlerThreads;
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
