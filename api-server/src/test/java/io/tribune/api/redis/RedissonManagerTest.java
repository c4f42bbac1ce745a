package io.tribune.api.redis;

import org.junit.jupiter.api.Test;
import org.redisson.config.SingleServerConfig;

import static org.assertj.core.api.Assertions.assertThat;

class RedissonManagerTest {

    @Test
    void keepsPasswordsOutOfLoggedUris() {
        assertThat(RedissonManager.redactedUri("redis://user:s3cret@redis.internal:6379/2"))
                .isEqualTo("redis://***@redis.internal:6379/2")
                .doesNotContain("s3cret");
        assertThat(RedissonManager.redactedUri("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void subscribesToTensOfThousandsOfMeetingChannels() {
        SingleServerConfig server = RedissonManager.redissonConfig(new RedisConfiguration()).useSingleServer();
        // One subscription per meeting with a member on the instance: 10,000 connections in rooms of 10 are 1,000.
        assertThat((long) server.getSubscriptionsPerConnection() * server.getSubscriptionConnectionPoolSize())
                .isGreaterThanOrEqualTo(20_000);
    }
}
