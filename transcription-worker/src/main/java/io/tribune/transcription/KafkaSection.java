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
}
