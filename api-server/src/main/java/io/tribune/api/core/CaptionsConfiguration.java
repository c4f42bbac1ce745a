package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The {@code captions} section: the Kafka consumer that relays the transcription-worker's live captions
 * ({@code caption} events on {@code tribune.captions}) to the meeting channel.
 */
public class CaptionsConfiguration {

    /** Whether this instance relays live captions (every instance may; the consumer group shares the partitions). */
    private boolean relay = true;

    /** The consumer group; records that are not captions go to {@code tribune.dlq.<group>}. */
    @NotNull
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}")
    private String consumerGroup = "api-server-captions-live";

    /** A caption whose end is older than this when it is read is dropped (counted), never shown late. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    private Duration maxAge = Duration.seconds(10);

    @JsonProperty
    public boolean isRelay() {
        return relay;
    }

    @JsonProperty
    public void setRelay(boolean relay) {
        this.relay = relay;
    }

    @JsonProperty
    public String getConsumerGroup() {
        return consumerGroup;
    }

    @JsonProperty
    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    @JsonProperty
    public Duration getMaxAge() {
        return maxAge;
    }

    @JsonProperty
    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }
}
