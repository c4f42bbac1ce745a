package io.tribune.api.core;

import io.tribune.api.core.MeetingsConfiguration.FailedJoinLimits;
import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts failed join attempts in Redis, per client address and per meeting, in fixed windows that start at the
 * first failure. Successful joins are never counted. Every api-server instance shares the counters.
 *
 * <p>Thread-safe: each operation is one atomic Redis script.
 */
public final class JoinRateLimiter {

    /** INCR, and start the window on the first failure. */
    private static final String COUNT_FAILURE = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n
            """;

    /** 0 while under the limit, else the milliseconds until the window ends. */
    private static final String BLOCKED_FOR = """
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n < tonumber(ARGV[1]) then return 0 end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 1 then return 1 end
            return ttl
            """;

    private final RedissonManager redis;
    private final FailedJoinLimits limits;

    public JoinRateLimiter(RedissonManager redis, FailedJoinLimits limits) {
        this.redis = Objects.requireNonNull(redis);
        this.limits = Objects.requireNonNull(limits);
    }

    /** How long {@code address} must wait, when it used up its failed attempts; empty while it may try. */
    public Optional<Duration> addressBlockedFor(String address) {
        long millis = run(BLOCKED_FOR, RedisKeys.addressFailures(address), limits.getPerIp());
        return millis > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
    }

    public void addressFailed(String address) {
        run(COUNT_FAILURE, RedisKeys.addressFailures(address), limits.getPerIpWindow().toMilliseconds());
    }

    /**
     * Counts a wrong passcode for {@code meetingId}.
     *
     * @return true when this failure reached the meeting's limit (the caller locks the meeting)
     */
    public boolean meetingFailed(String meetingId) {
        long count = run(COUNT_FAILURE, RedisKeys.meetingFailures(meetingId),
                limits.getPerMeetingWindow().toMilliseconds());
        return count >= limits.getPerMeeting();
    }

    /** Forgets a meeting's failures (its host unlocked it). */
    public void resetMeeting(String meetingId) {
        redis.client().getBucket(RedisKeys.meetingFailures(meetingId), StringCodec.INSTANCE).delete();
    }

    private long run(String script, String key, long argument) {
        Long result = redis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, script,
                RScript.ReturnType.LONG, List.of(key), Long.toString(argument));
        return result == null ? 0 : result;
    }
}
