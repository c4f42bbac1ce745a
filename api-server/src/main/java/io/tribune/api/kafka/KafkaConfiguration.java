package io.tribune.api.kafka;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.concurrent.TimeUnit;

/**
 * The {@code kafka:} section: how api-server reaches the Kafka cluster. Mutable only while the configuration is
 * being read; treat it as immutable afterwards.
 */
public class KafkaConfiguration {

    /** {@code host:port} pairs, comma separated. IPv6 literals go in brackets: {@code [::1]:9092}. */
    static final String BOOTSTRAP_SERVERS_PATTERN =
            "^\\s*(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}(\\s*,\\s*(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5})*\\s*$";

    @NotBlank
    @Pattern(regexp = BOOTSTRAP_SERVERS_PATTERN,
            message = "must be a comma-separated list of host:port pairs, e.g. 127.0.0.1:9092")
    private String bootstrapServers = "127.0.0.1:9092";

    @NotBlank
    @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be 1-100 letters, digits, '.', '_' or '-'")
    private String clientId = "api-server";

    /** Producer and admin request timeout ({@code request.timeout.ms}); also bounds a blocked {@code send}. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    private Duration requestTimeout = Duration.seconds(10);

    /**
     * Upper bound on the time between {@code send} and the broker's acknowledgement or the final failure
     * ({@code delivery.timeout.ms}). An outbox row whose delivery times out stays unsent and is retried.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 30, unit = TimeUnit.MINUTES)
    private Duration deliveryTimeout = Duration.seconds(30);

    /** How long the health check waits for the cluster to answer before it reports Kafka down. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration healthCheckTimeout = Duration.seconds(2);

    @JsonProperty
    public String getBootstrapServers() {
        return bootstrapServers;
    }

    @JsonProperty
    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @JsonProperty
    public String getClientId() {
        return clientId;
    }

    @JsonProperty
    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    @JsonProperty
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    @JsonProperty
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    @JsonProperty
    public Duration getDeliveryTimeout() {
        return deliveryTimeout;
    }

    @JsonProperty
    public void setDeliveryTimeout(Duration deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
    }

    @JsonProperty
    public Duration getHealthCheckTimeout() {
        return healthCheckTimeout;
    }

    @JsonProperty
    public void setHealthCheckTimeout(Duration healthCheckTimeout) {
        this.healthCheckTimeout = healthCheckTimeout;
    }

    /** Kafka refuses a producer whose delivery timeout is shorter than its request timeout plus linger. */
    @JsonIgnore
    @ValidationMethod(message = "kafka.deliveryTimeout must be longer than kafka.requestTimeout")
    public boolean isDeliveryTimeoutLongerThanRequestTimeout() {
        return deliveryTimeout == null || requestTimeout == null
                || deliveryTimeout.toMilliseconds() > requestTimeout.toMilliseconds() + KafkaProducerManager.LINGER_MS;
    }
}
