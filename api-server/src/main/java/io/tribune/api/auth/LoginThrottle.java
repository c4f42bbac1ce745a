package io.tribune.api.auth;

import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Failed-login counters in Redis, per account (email address) and per client IP address, in fixed windows that
 * start at the first failure. Only failures count; a successful login clears its account's counter but not the
 * IP's (otherwise an attacker could interleave logins to an account of their own). Keys hold a SHA-256 of the
 * address, never the address:
 *
 * <pre>
 *   tribune:auth:login-failures:account:{sha256(lower(email))}  count, expires with the window
 *   tribune:auth:login-failures:ip:{sha256(ip)}                 count, expires with the window
 * </pre>
 *
 * When Redis is unavailable the throttle lets attempts through (and logs it): logins keep working, and each
 * attempt still costs an Argon2id hash.
 *
 * <p>Thread-safe.
 */
public final class LoginThrottle {

    static final String ACCOUNT_KEY = "tribune:auth:login-failures:account:";
    static final String IP_KEY = "tribune:auth:login-failures:ip:";

    /** KEYS[1] counter, ARGV[1] limit: milliseconds until the window ends when the limit is reached, else 0. */
    private static final String CHECK = """
            local count = tonumber(redis.call('GET', KEYS[1]) or '0')
            if count < tonumber(ARGV[1]) then return 0 end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then return 1000 end
            return ttl
            """;
    /** KEYS[1] counter, ARGV[1] window in milliseconds: counts one failure, starting the window at the first. */
    private static final String RECORD = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return count
            """;

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private final RedissonManager redis;
    private final int maxPerAccount;
    private final int maxPerIp;
    private final Duration window;

    public LoginThrottle(RedissonManager redis, AuthConfiguration.LoginThrottleConfiguration configuration) {
        this.redis = redis;
        this.maxPerAccount = configuration.getMaxFailuresPerAccount();
        this.maxPerIp = configuration.getMaxFailuresPerIp();
        this.window = Duration.ofMillis(configuration.getWindow().toMilliseconds());
    }

    /** How long the caller must wait before the next attempt; {@link Duration#ZERO} when it may try now. */
    public Duration retryAfter(String email, String ip) {
        try {
            RBatch batch = redis.client().createBatch();
            RScript.Mode mode = RScript.Mode.READ_ONLY;
            batch.getScript(StringCodec.INSTANCE).evalAsync(mode, CHECK, RScript.ReturnType.LONG,
                    List.of(accountKey(email)), String.valueOf(maxPerAccount));
            batch.getScript(StringCodec.INSTANCE).evalAsync(mode, CHECK, RScript.ReturnType.LONG,
                    List.of(ipKey(ip)), String.valueOf(maxPerIp));
            long waitMillis = 0;
            for (Object response : batch.execute().getResponses()) {
                waitMillis = Math.max(waitMillis, ((Number) response).longValue());
            }
            return Duration.ofMillis(waitMillis);
        } catch (RedisException | IllegalStateException e) {
            LOG.warn("Login throttle unavailable (Redis); letting the attempt through: {}", e.toString());
            return Duration.ZERO;
        }
    }

    /** Counts a failed attempt against the account and the IP address. */
    public void recordFailure(String email, String ip) {
        try {
            RBatch batch = redis.client().createBatch();
            String windowMillis = String.valueOf(window.toMillis());
            batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, RECORD, RScript.ReturnType.LONG,
                    List.of(accountKey(email)), windowMillis);
            batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, RECORD, RScript.ReturnType.LONG,
                    List.of(ipKey(ip)), windowMillis);
            batch.execute();
        } catch (RedisException | IllegalStateException e) {
            LOG.warn("Login throttle unavailable (Redis); a failed login was not counted: {}", e.toString());
        }
    }

    /** Clears the account's failures (a successful login or a completed password reset). */
    public void clearAccount(String email) {
        try {
            redis.client().getBucket(accountKey(email), StringCodec.INSTANCE).delete();
        } catch (RedisException | IllegalStateException e) {
            LOG.warn("Login throttle unavailable (Redis); failures were not cleared: {}", e.toString());
        }
    }

    static String accountKey(String email) {
        return ACCOUNT_KEY + OpaqueTokens.hexHash(email.strip().toLowerCase(Locale.ROOT));
    }

    static String ipKey(String ip) {
        return IP_KEY + OpaqueTokens.hexHash(ip == null ? "unknown" : ip);
    }
}
