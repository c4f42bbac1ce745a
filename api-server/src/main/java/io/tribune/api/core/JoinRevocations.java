package io.tribune.api.core;

import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RSet;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.Objects;

/**
 * People removed from a meeting (kick, ban): a Redis set per meeting ({@link RedisKeys#revoked}) of subject ids
 * that every node checks: the SFU and meeting channel refuse join tokens of those subjects, and the API issues
 * them no new ones. Entries last {@link #RETENTION} after the latest removal in the meeting.
 *
 * <p>Thread-safe: single Redis commands.
 */
public final class JoinRevocations {

    public static final Duration RETENTION = Duration.ofDays(30);

    private final RedissonManager redis;

    public JoinRevocations(RedissonManager redis) {
        this.redis = Objects.requireNonNull(redis);
    }

    /** Removes {@code subjectId} (a user id or guest id) from {@code meetingId} for good. */
    public void revoke(String meetingId, String subjectId) {
        RSet<String> set = set(meetingId);
        set.add(subjectId);
        set.expire(RETENTION);
    }

    public boolean isRevoked(String meetingId, String subjectId) {
        return set(meetingId).contains(subjectId);
    }

    private RSet<String> set(String meetingId) {
        return redis.client().getSet(RedisKeys.revoked(meetingId), StringCodec.INSTANCE);
    }
}
