package io.tribune.transcoder.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.LiveBroadcasts;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The town hall leases on the real Redis: one holder, renewals that never take another's lease, lapse, release. */
@ExtendWith(PlatformExtension.class)
@Timeout(30)
class BroadcastLeasesIT {

    private RedissonClient redis;
    private String meeting;

    @BeforeEach
    void connect(PlatformUrls urls) {
        Config config = new Config();
        config.useSingleServer().setAddress(urls.redisUri());
        redis = Redisson.create(config);
        meeting = "lease" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    @AfterEach
    void disconnect() {
        redis.getBucket(LiveBroadcasts.owner(meeting)).delete();
        redis.shutdown();
    }

    @Test
    void oneInstanceHoldsTheLeaseAndRenewsOnlyItsOwn() {
        BroadcastLeases a = new BroadcastLeases(redis, "a", Duration.ofSeconds(10));
        BroadcastLeases b = new BroadcastLeases(redis, "b", Duration.ofSeconds(10));

        assertThat(a.claim(meeting)).isTrue();
        assertThat(b.claim(meeting)).as("the second claimer").isFalse();
        assertThat(a.claim(meeting)).as("a claim is no renewal").isFalse();
        assertThat(owner()).isEqualTo("a");
        assertThat(ttlMillis()).isBetween(9_000L, 10_000L);

        assertThat(a.renew(meeting)).isEqualTo(BroadcastLeases.Renewal.RENEWED);
        assertThat(b.renew(meeting)).isEqualTo(BroadcastLeases.Renewal.LOST);
        assertThat(owner()).as("b's renewal took nothing").isEqualTo("a");
        assertThat(b.release(meeting)).isFalse();
        assertThat(owner()).as("b's release took nothing").isEqualTo("a");
        assertThat(b.owners(List.of(meeting, meeting + "x"))).containsEntry(meeting, "a")
                .containsEntry(meeting + "x", null);

        assertThat(a.release(meeting)).isTrue();
        assertThat(owner()).isNull();
        assertThat(b.claim(meeting)).as("a released lease is free at once").isTrue();
        assertThat(a.renew(meeting)).as("the earlier holder").isEqualTo(BroadcastLeases.Renewal.LOST);
    }

    @Test
    void aLeaseThatIsNotRenewedLapsesForAnotherInstance() throws InterruptedException {
        BroadcastLeases a = new BroadcastLeases(redis, "a", Duration.ofSeconds(2));
        BroadcastLeases b = new BroadcastLeases(redis, "b", Duration.ofSeconds(2));
        assertThat(a.claim(meeting)).isTrue();
        for (int i = 0; i < 3; i++) {
            Thread.sleep(800); // more than the ttl in all, each well within it
            assertThat(a.renew(meeting)).as("renewed within the ttl").isEqualTo(BroadcastLeases.Renewal.RENEWED);
            assertThat(b.claim(meeting)).isFalse();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!b.claim(meeting)) {
            assertThat(System.nanoTime()).as("the lease lapsed").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(a.renew(meeting)).isEqualTo(BroadcastLeases.Renewal.LOST);
    }

    @Test
    void aLapsedLeaseNobodyClaimedIsTakenAgainByItsHolder() {
        BroadcastLeases a = new BroadcastLeases(redis, "a", Duration.ofSeconds(10));
        assertThat(a.claim(meeting)).isTrue();
        redis.getBucket(LiveBroadcasts.owner(meeting)).delete(); // lapsed, or Redis restarted empty
        assertThat(a.renew(meeting)).isEqualTo(BroadcastLeases.Renewal.RETAKEN);
        assertThat(owner()).isEqualTo("a");
        assertThat(ttlMillis()).isBetween(9_000L, 10_000L);
    }

    private String owner() {
        return redis.<String>getBucket(LiveBroadcasts.owner(meeting), StringCodec.INSTANCE).get();
    }

    private long ttlMillis() {
        return redis.getBucket(LiveBroadcasts.owner(meeting), StringCodec.INSTANCE).remainTimeToLive();
    }
}
