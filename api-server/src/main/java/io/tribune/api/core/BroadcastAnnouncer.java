package io.tribune.api.core;

import io.tribune.api.redis.RedissonManager;
import io.tribune.events.LiveBroadcasts;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the transcoders which town halls are live, after the change committed in PostgreSQL: the meeting id is
 * added to or removed from the Redis set {@link LiveBroadcasts#LIVE_SET} (which transcoders read on startup and
 * every few seconds) and the change is published on {@link LiveBroadcasts#CHANNEL} (which they follow for an
 * immediate start). Both are idempotent, so a repeated start or stop repeats them and repairs a lost write. A Redis
 * failure is logged and counted, never undoes the committed state: the next start or stop call writes it again.
 * Thread-safe.
 */
public final class BroadcastAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastAnnouncer.class);

    private final RedissonManager redis;
    private final AtomicLong failures = new AtomicLong();

    public BroadcastAnnouncer(RedissonManager redis) {
        this.redis = redis;
    }

    /** Announces that the meeting's broadcast is live ({@code true}) or stopped. */
    public void announce(String meetingId, boolean live) {
        LiveBroadcasts.Announcement announcement = new LiveBroadcasts.Announcement(live, meetingId);
        try {
            var set = redis.client().getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE);
            if (live) {
                set.add(meetingId);
            } else {
                set.remove(meetingId);
            }
            redis.client().getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE).publish(announcement.toJson());
        } catch (RedisException | IllegalStateException e) {
            failures.incrementAndGet();
            LOG.warn("could not announce that broadcast {} is {} over Redis: {}", meetingId, live ? "live" : "stopped",
                    e.toString());
        }
    }

    /** Announcements Redis refused (metric). */
    public long failures() {
        return failures.get();
    }
}
