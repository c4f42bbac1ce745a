package io.tribune.api.redis;

import io.dropwizard.lifecycle.Managed;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Owns the Redisson client. It is created with lazy initialisation, so a Redis that is down at startup does not
 * stop the server: connections are made on first use and re-made after failures, and the Redis health check
 * reports the outage meanwhile.
 *
 * <p>Thread-safe: {@link RedissonClient} is.
 */
public final class RedissonManager implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RedissonManager.class);

    /**
     * Channels one pub/sub connection carries. Every meeting with a member on this instance is one subscription
     * (its channel topic), so Redisson's default (5 per connection, 50 connections: 250 meetings) would refuse the
     * 251st meeting with a subscribe timeout. Redis itself has no such limit; 1,000 per connection with the default
     * pool of 50 allows 50,000 meetings per instance.
     */
    static final int SUBSCRIPTIONS_PER_CONNECTION = 1_000;

    private final RedisConfiguration configuration;
    private volatile RedissonClient client;

    public RedissonManager(RedisConfiguration configuration) {
        this.configuration = configuration;
    }

    static Config redissonConfig(RedisConfiguration configuration) {
        int timeoutMs = Math.toIntExact(configuration.getTimeout().toMilliseconds());
        Config config = new Config();
        config.setLazyInitialization(true);
        // Lua scripts (join admission, rate limits) go as EVALSHA of a cached script, not their whole text each time.
        config.setUseScriptCache(true);
        SingleServerConfig server = config.useSingleServer()
                .setAddress(configuration.getUri())
                .setTimeout(timeoutMs)
                .setConnectTimeout(timeoutMs)
                .setRetryAttempts(1)
                .setConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION)
                .setPingConnectionInterval(5_000);
        server.setClientName("api-server");
        return config;
    }

    @Override
    public void start() {
        client = Redisson.create(redissonConfig(configuration));
        LOG.info("Redisson client for {} created (connects on first use)", redactedUri(configuration.getUri()));
    }

    @Override
    public void stop() {
        RedissonClient current = client;
        if (current != null) {
            current.shutdown(0, 5, TimeUnit.SECONDS);
        }
    }

    /** The client; only valid between {@link #start()} and {@link #stop()}. */
    public RedissonClient client() {
        RedissonClient current = client;
        if (current == null) {
            throw new IllegalStateException("Redisson not started");
        }
        return current;
    }

    /** The URI without its password, for logs. */
    static String redactedUri(String uri) {
        return uri.replaceFirst("//[^@/]*@", "//***@");
    }
}
