package io.tribune.api.redis;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.concurrent.TimeUnit;

/** The {@code redis:} section. Mutable only while the configuration is being read. */
public class RedisConfiguration {

    /**
     * {@code redis://[user:password@]host:port[/database]}, or {@code rediss://} for TLS. The port is required so
     * a typo cannot silently fall back to a default.
     */
    static final String URI_PATTERN =
            "^rediss?://([^@/\\s]+@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}(/[0-9]{1,2})?$";

    @NotBlank
    @Pattern(regexp = URI_PATTERN,
            message = "must be a redis:// or rediss:// URI with host and port, e.g. redis://127.0.0.1:6379")
    private String uri = "redis://127.0.0.1:6379";

    /** Timeout of one Redis command, and of the health check's PING. */
    @NotNull
    @MinDuration(value = 50, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration timeout = Duration.seconds(3);

    @JsonProperty
    public String getUri() {
        return uri;
    }

    @JsonProperty
    public void setUri(String uri) {
        this.uri = uri;
    }

    @JsonProperty
    public Duration getTimeout() {
        return timeout;
    }

    @JsonProperty
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
