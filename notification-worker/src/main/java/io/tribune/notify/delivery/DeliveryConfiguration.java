package io.tribune.notify.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The {@code delivery:} section: how often and how patiently a mail the relay refused is tried again. */
public class DeliveryConfiguration {

    /** Attempts per mail before it is recorded as failed (a permanent refusal stops at once). */
    @Min(1)
    @Max(50)
    private int maxAttempts = 6;

    /** The wait after the first failed attempt; doubled after each further one. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration retryBackoff = Duration.seconds(30);

    /** The longest wait between two attempts. */
    @NotNull
    @MaxDuration(value = 1, unit = TimeUnit.DAYS)
    private Duration maxRetryBackoff = Duration.hours(1);

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

    /** The wait after failed attempt {@code attempt} (1-based). */
    public java.time.Duration backoff(int attempt) {
        long millis = retryBackoff.toMilliseconds();
        long max = maxRetryBackoff.toMilliseconds();
        for (int i = 1; i < attempt && millis < max; i++) {
            millis *= 2;
        }
        return java.time.Duration.ofMillis(Math.min(millis, max));
    }
}
