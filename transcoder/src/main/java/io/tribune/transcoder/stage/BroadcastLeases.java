package io.tribune.transcoder.stage;

import io.tribune.events.LiveBroadcasts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The leases that give each live town hall exactly one transcoder ({@link LiveBroadcasts#owner}: the holder's
 * instance id, expiring after {@code ttl}):
 *
 * <pre>
 *   claim    SET tribune:broadcasts:owner:{id} instanceId NX PX ttl       (one claimer wins)
 *   renew    if GET == instanceId: PEXPIRE ttl; if missing: SET PX ttl   (every refresh; never takes another's)
 *   release  if GET == instanceId: DEL                                    (stop, shutdown)
 * </pre>
 *
 * A transcoder that dies stops renewing; once its lease has lapsed another one claims the town hall. Renewing a
 * lease that lapsed while nobody claimed it (a Redis restart, a long pause) takes it again: nobody else runs it.
 *
 * <p>Stateless over a Redisson client; thread-safe. Redis failures surface as Redisson's runtime exceptions.
 */
public final class BroadcastLeases {

    /** What a renewal found. */
    public enum Renewal {
        /** The lease was this instance's and runs for another ttl. */
        RENEWED,
        /** The lease had lapsed and nobody had claimed it: this instance holds it again. */
        RETAKEN,
        /** Another instance holds the lease: this one must stop running the town hall. */
        LOST
    }

    private static final String RENEW = "local v = redis.call('GET', KEYS[1]) "
            + "if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end "
            + "if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end "
            + "return 0";
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) end return 0";

    private final RedissonClient redis;
    private final String instanceId;
    private final Duration ttl;

    public BroadcastLeases(RedissonClient redis, String instanceId, Duration ttl) {
        this.redis = Objects.requireNonNull(redis);
        this.instanceId = Objects.requireNonNull(instanceId);
        if (ttl.toMillis() <= 0) {
            throw new IllegalArgumentException("lease ttl must be positive, not " + ttl);
        }
        this.ttl = ttl;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Takes the town hall's lease if nobody holds it; false if another instance (or this one) does. */
    public boolean claim(String meetingId) {
        return redis.<String>getBucket(LiveBroadcasts.owner(meetingId), StringCodec.INSTANCE)
                .setIfAbsent(instanceId, ttl);
    }

    /** Extends this instance's lease, or tells that another instance holds it. */
    public Renewal renew(String meetingId) {
        String key = LiveBroadcasts.owner(meetingId);
        Long result = redis.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, RENEW,
                RScript.ReturnType.LONG, List.of(key), instanceId, Long.toString(ttl.toMillis()));
        return switch (result == null ? 0 : result.intValue()) {
            case 1 -> Renewal.RENEWED;
            case 2 -> Renewal.RETAKEN;
            default -> Renewal.LOST;
        };
    }

    /** Gives the lease up if this instance holds it (another's is left alone); true if it was released. */
    public boolean release(String meetingId) {
        String key = LiveBroadcasts.owner(meetingId);
        Long deleted = redis.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, RELEASE,
                RScript.ReturnType.LONG, List.of(key), instanceId);
        return deleted != null && deleted > 0;
    }

    /** The holder of each town hall's lease (null: none), in one round trip. */
    public Map<String, String> owners(List<String> meetingIds) {
        if (meetingIds.isEmpty()) {
            return Map.of();
        }
        RBatch batch = redis.createBatch();
        List<RFuture<String>> reads = new ArrayList<>();
        for (String meetingId : meetingIds) {
            reads.add(batch.<String>getBucket(LiveBroadcasts.owner(meetingId), StringCodec.INSTANCE).getAsync());
        }
        batch.execute();
        Map<String, String> owners = new LinkedHashMap<>();
        for (int i = 0; i < meetingIds.size(); i++) {
            owners.put(meetingIds.get(i), reads.get(i).toCompletableFuture().join());
        }
        return owners;
    }

    /**
     * How long an instance running {@code running} of {@code max} town halls waits before it tries to claim one
     * that has no transcoder: {@code refresh x running / max}, plus up to a tenth of {@code refresh} at random
     * ({@code random} in [0, 1)). An idle instance claims within the jitter; a busier one only takes what the idle
     * ones left by then, and it claims one at a time, each after the wait for its new load, so two idle instances
     * given two town halls at once end up with one each. Null when it is full.
     */
    public static Duration claimDelay(int running, int max, Duration refresh, double random) {
        if (running >= max) {
            return null;
        }
        if (random < 0 || random >= 1) {
            throw new IllegalArgumentException("random must be in [0, 1), not " + random);
        }
        long refreshMillis = refresh.toMillis();
        return Duration.ofMillis(refreshMillis * running / max + (long) (random * refreshMillis / 10));
    }
}
