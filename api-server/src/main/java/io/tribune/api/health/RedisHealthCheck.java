package io.tribune.api.health;

import com.codahale.metrics.health.HealthCheck;
import io.tribune.api.redis.RedissonManager;
import org.redisson.api.redisnode.RedisNodes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code redis}: healthy when Redis answers PING within {@code redis.timeout}. Thread-safe. */
public final class RedisHealthCheck extends HealthCheck {

    public static final String NAME = "redis";

    private final RedissonManager redisson;
    private final Duration timeout;

    public RedisHealthCheck(RedissonManager redisson, Duration timeout) {
        this.redisson = redisson;
        this.timeout = timeout;
    }

    @Override
    protected Result check() {
        try {
            boolean answered = redisson.client().getRedisNodes(RedisNodes.SINGLE).getInstance()
                    .ping(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answered ? Result.healthy("PONG")
                    : Result.unhealthy("Redis did not answer PING within " + timeout.toMillis() + " ms");
        } catch (RuntimeException e) {
            return Result.unhealthy("Redis unreachable: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
