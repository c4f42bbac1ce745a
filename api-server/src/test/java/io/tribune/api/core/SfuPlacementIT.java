package io.tribune.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.api.redis.RedisConfiguration;
import io.tribune.api.redis.RedissonManager;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The join's SFU node against a real Redis, with node entries written as sfu-cluster's NodeRegistry writes them:
 * the configured URL without live nodes, the least-loaded live node for a new room, the same node for a room
 * already placed, and a new node when the placed one died.
 */
@ExtendWith(PlatformExtension.class)
class SfuPlacementIT {

    private static final URI FALLBACK = URI.create("ws://127.0.0.1:7880/signal");
    private RedissonManager redis;
    private RedissonClient client;
    private SfuPlacement placement;
    /** Each test's own node ids, so tests sharing the platform's Redis do not see each other's nodes. */
    private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeEach
    void start(PlatformUrls urls) {
        RedisConfiguration configuration = new RedisConfiguration();
        configuration.setUri(urls.redisUri());
        redis = new RedissonManager(configuration);
        redis.start();
        client = redis.client();
        client.getKeys().delete(SfuPlacement.NODES);
        placement = new SfuPlacement(redis, FALLBACK, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.getKeys().delete(SfuPlacement.NODES);
        redis.stop();
    }

    /** Registers a node as its heartbeat would. */
    private void register(String id, double load, int endpoints, Duration ttl) {
        String json = "{\"node_id\":\"" + prefix + id + "\",\"region\":\"test\",\"signaling_url\":\"ws://" + id
                + ".test:8090/signal\",\"rooms\":0,\"endpoints\":" + endpoints + ",\"load\":" + load + "}";
        client.getBucket(SfuPlacement.nodeKey(prefix + id), StringCodec.INSTANCE).set(json, ttl);
        client.getScoredSortedSet(SfuPlacement.NODES, StringCodec.INSTANCE).add(System.currentTimeMillis(),
                prefix + id);
    }

    private String placedNode(String meeting) {
        return (String) client.getBucket(SfuPlacement.roomKey(meeting), StringCodec.INSTANCE).get();
    }

    private static String meeting() {
        return "m-" + UUID.randomUUID();
    }

    @Test
    void withoutLiveNodesTheConfiguredUrlIsUsedAndNothingIsPlaced() {
        String meeting = meeting();
        assertThat(placement.signalingUrl(meeting)).isEqualTo(FALLBACK);
        assertThat(placedNode(meeting)).isNull();
        // A node whose entry expired is not live, even if the index still names it.
        client.getScoredSortedSet(SfuPlacement.NODES, StringCodec.INSTANCE).add(System.currentTimeMillis(),
                prefix + "gone");
        assertThat(placement.signalingUrl(meeting)).isEqualTo(FALLBACK);
    }

    @Test
    void aNewRoomGoesToTheLeastLoadedNodeAndStaysThere() {
        register("busy", 0.7, 300, Duration.ofMinutes(1));
        register("idle", 0.1, 10, Duration.ofMinutes(1));
        String meeting = meeting();
        assertThat(placement.signalingUrl(meeting)).isEqualTo(URI.create("ws://idle.test:8090/signal"));
        assertThat(placedNode(meeting)).isEqualTo(prefix + "idle");
        assertThat(client.getBucket(SfuPlacement.roomKey(meeting)).remainTimeToLive()).isPositive();

        // The idle node fills up: the placed room stays, a new room goes to the other node.
        register("idle", 0.9, 450, Duration.ofMinutes(1));
        assertThat(placement.signalingUrl(meeting)).isEqualTo(URI.create("ws://idle.test:8090/signal"));
        assertThat(placement.signalingUrl(meeting())).isEqualTo(URI.create("ws://busy.test:8090/signal"));
    }

    @Test
    void aRoomWhoseNodeDiedMovesToALiveNode() throws Exception {
        register("short-lived", 0.0, 0, Duration.ofMillis(800));
        register("steady", 0.5, 100, Duration.ofMinutes(1));
        String meeting = meeting();
        assertThat(placement.signalingUrl(meeting)).isEqualTo(URI.create("ws://short-lived.test:8090/signal"));
        // Its heartbeats stop: the entry expires, and the next join goes to the live node, recorded.
        long deadline = System.currentTimeMillis() + 10_000;
        while (client.getBucket(SfuPlacement.nodeKey(prefix + "short-lived")).isExists()) {
            assertThat(System.currentTimeMillis()).as("waiting for the entry to expire").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(placement.signalingUrl(meeting)).isEqualTo(URI.create("ws://steady.test:8090/signal"));
        assertThat(placedNode(meeting)).isEqualTo(prefix + "steady");
    }

    @Test
    void equallyLoadedNodesAreChosenAlikeByEveryApiServer() {
        SfuPlacement.Node a = new SfuPlacement.Node("a", URI.create("ws://a/"), 0.2, 5);
        SfuPlacement.Node b = new SfuPlacement.Node("b", URI.create("ws://b/"), 0.2, 3);
        SfuPlacement.Node c = new SfuPlacement.Node("c", URI.create("ws://c/"), 0.2, 3);
        assertThat(SfuPlacement.leastLoaded(java.util.List.of(a, c, b)).id()).isEqualTo("b");
    }
}
