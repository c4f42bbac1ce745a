package io.tribune.api.core;

import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Who counts as in a meeting: a Redis sorted set per meeting of participant ids scored by when their presence
 * expires (a join adds {@code presenceTtl}; joining again refreshes it), plus the same for the host and co-hosts.
 * It enforces {@code max_participants} atomically across api-server instances and tells whether a moderator is
 * present (for {@code join_before_host}). {@link #connected} reads the meeting channel's roster: presence expires
 * {@code presenceTtl} after a join, while a channel connection counts for as long as it is open, so "nobody is in
 * the meeting" ({@link RecordingAutoStop}) means no connection and no recent join.
 *
 * <p>Thread-safe: each operation is one atomic Redis script or command.
 */
public final class MeetingPresence {

    /**
     * Drops expired members, then admits ARGV[3] unless the meeting is full (moderators always get in; someone
     * already present just refreshes). Returns 1 when admitted, 0 when full.
     */
    private static final String ADMIT = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            local present = redis.call('ZSCORE', KEYS[1], ARGV[3])
            if (not present) and ARGV[5] == '0' and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            if ARGV[5] == '1' then
              redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
              redis.call('PEXPIRE', KEYS[2], ARGV[6])
            end
            return 1
            """;

    private final RedissonManager redis;
    private final Duration ttl;
    private final Clock clock;

    public MeetingPresence(RedissonManager redis, Duration ttl, Clock clock) {
        this.redis = Objects.requireNonNull(redis);
        this.ttl = Objects.requireNonNull(ttl);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Counts {@code participantId} in, unless {@code capacity} people are already in (moderators always). */
    public boolean admit(String meetingId, String participantId, boolean moderator, int capacity) {
        long now = clock.millis();
        Long admitted = redis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ADMIT,
                RScript.ReturnType.LONG,
                List.of(RedisKeys.presence(meetingId), RedisKeys.moderatorPresence(meetingId)),
                Long.toString(now), Long.toString(now + ttl.toMillis()), participantId, Integer.toString(capacity),
                moderator ? "1" : "0", Long.toString(ttl.toMillis()));
        return admitted != null && admitted == 1;
    }

    /** Whether the host or a co-host joined within the presence TTL. */
    public boolean moderatorPresent(String meetingId) {
        return !redis.client().getScoredSortedSet(RedisKeys.moderatorPresence(meetingId), StringCodec.INSTANCE)
                .valueRange(clock.millis(), false, Double.POSITIVE_INFINITY, true, 0, 1).isEmpty();
    }

    /** How many people count as present now. */
    public int count(String meetingId) {
        return redis.client().getScoredSortedSet(RedisKeys.presence(meetingId), StringCodec.INSTANCE)
                .count(clock.millis(), false, Double.POSITIVE_INFINITY, true);
    }

    /** How many people are connected to the meeting channel now (its roster, shared by every instance). */
    public int connected(String meetingId) {
        return redis.client().getMap(RedisKeys.roster(meetingId), StringCodec.INSTANCE).size();
    }

    public void remove(String meetingId, String participantId) {
        redis.client().getScoredSortedSet(RedisKeys.presence(meetingId), StringCodec.INSTANCE).remove(participantId);
        redis.client().getScoredSortedSet(RedisKeys.moderatorPresence(meetingId), StringCodec.INSTANCE)
                .remove(participantId);
    }
}
