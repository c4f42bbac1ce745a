package io.tribune.sfu.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import io.tribune.sfu.TestSfuNode;
import io.tribune.sfu.room.ParticipantEvents;
import io.tribune.sfu.room.ParticipantInfo;
import io.tribune.sfu.room.Rooms;
import io.tribune.sfu.room.TrackInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The node registry against a real Redis (the embedded platform's): a running node registers with its signaling
 * URL and load, renews the placement of the rooms it holds, leaves another node's placement alone, deregisters
 * when it stops, and a node that stops beating disappears after its TTL.
 */
@ExtendWith(PlatformExtension.class)
class NodeRegistryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private RedissonClient redis;

    @BeforeEach
    void connect(PlatformUrls urls) {
        Config config = new Config();
        config.useSingleServer().setAddress(urls.redisUri());
        redis = Redisson.create(config);
    }

    @AfterEach
    void disconnect() {
        redis.shutdown();
    }

    private String get(String key) {
        return (String) redis.getBucket(key, StringCodec.INSTANCE).get();
    }

    private static void waitFor(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static final ParticipantEvents QUIET = new ParticipantEvents() {
        @Override
        public void participantJoined(ParticipantInfo participant) {
        }

        @Override
        public void participantLeft(String participantId, String reason) {
        }

        @Override
        public void trackPublished(TrackInfo track) {
        }

        @Override
        public void trackUnpublished(String participantId, String trackId) {
        }

        @Override
        public void trackMuted(String participantId, String trackId, boolean muted) {
        }

        @Override
        public void removed(String reason) {
        }
    };

    @Test
    void aRunningNodeRegistersItsLoadAndRoomsAndDeregistersWhenItStops(PlatformUrls urls) throws Exception {
        TestSfuNode node = new TestSfuNode(ConfigOverride.config("redis.uri", urls.redisUri()),
                ConfigOverride.config("registry.nodeId", "sfu-it-1"),
                ConfigOverride.config("registry.region", "eu-test"),
                ConfigOverride.config("registry.heartbeat", "300 milliseconds"),
                ConfigOverride.config("registry.ttl", "3 seconds"));
        boolean closed = false;
        try {
            String key = NodeRegistry.nodeKey("sfu-it-1");
            waitFor("the node's entry", 20_000, () -> get(key) != null);
            JsonNode entry = JSON.readTree(get(key));
            assertThat(entry.path("signaling_url").asText()).isEqualTo(node.signalingUrl());
            assertThat(entry.path("region").asText()).isEqualTo("eu-test");
            assertThat(entry.path("endpoints").asInt()).isZero();
            assertThat(entry.path("load").asDouble()).isBetween(0.0, 1.0);
            assertThat(redis.getBucket(key).remainTimeToLive()).isBetween(1L, 3_000L);
            assertThat(redis.getScoredSortedSet(NodeRegistry.NODES, StringCodec.INSTANCE).contains("sfu-it-1"))
                    .isTrue();

            // Two rooms with a participant each; another node already holds the second one's placement.
            redis.getBucket(NodeRegistry.roomKey("placed-elsewhere"), StringCodec.INSTANCE).set("sfu-other",
                    Duration.ofMinutes(1));
            Rooms rooms = node.application().rooms();
            rooms.join("standup", "ann", "Ann", "participant", Set.of("publish", "subscribe"), QUIET);
            rooms.join("placed-elsewhere", "ben", "Ben", "participant", Set.of("publish", "subscribe"), QUIET);
            waitFor("the rooms in the entry", 10_000, () -> {
                try {
                    return JSON.readTree(get(key)).path("endpoints").asInt() == 2;
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode loaded = JSON.readTree(get(key));
            assertThat(loaded.path("rooms").asInt()).isEqualTo(2);
            assertThat(loaded.path("room_ids").toString()).contains("standup", "placed-elsewhere");
            waitFor("standup placed here", 10_000, () -> "sfu-it-1".equals(get(NodeRegistry.roomKey("standup"))));
            assertThat(redis.getBucket(NodeRegistry.roomKey("standup")).remainTimeToLive()).isPositive();
            assertThat(get(NodeRegistry.roomKey("placed-elsewhere"))).isEqualTo("sfu-other");

            // The node's and each room's figures on /prometheus.
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(node.adminUrl() + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("sfu_room_participants{room=\"standup\"} 1.0",
                    "sfu_node_participants 2.0", "sfu_node_received_packets_total ", "sfu_room_sent_bytes_total{",
                    "sfu_room_nacks_received_total{", "sfu_room_plis_sent_total{", "sfu_send_bitrate_bps ",
                    "sfu_process_cpu_ratio ");

            node.close();
            closed = true;
            assertThat(get(key)).as("deregistered at once").isNull();
            assertThat(redis.getScoredSortedSet(NodeRegistry.NODES, StringCodec.INSTANCE).contains("sfu-it-1"))
                    .isFalse();
            assertThat(get(NodeRegistry.roomKey("standup"))).as("its own placements released").isNull();
            assertThat(get(NodeRegistry.roomKey("placed-elsewhere"))).isEqualTo("sfu-other");
        } finally {
            if (!closed) {
                node.close();
            }
        }
    }

    @Test
    void aNodeThatStopsBeatingDisappearsAfterItsTtl(PlatformUrls urls) throws Exception {
        Rooms rooms = new Rooms(null);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        NodeRegistry registry = new NodeRegistry(urls.redisUri(), new NodeRegistry.Settings("sfu-it-dies", "local",
                Duration.ofMillis(300), Duration.ofMillis(1500), Duration.ofSeconds(30), 100, List.of("127.0.0.1"),
                10000), rooms, new NodeLoad(rooms, Clock.systemUTC()), Clock.systemUTC(), timer);
        registry.start();
        try {
            registry.announce("ws://127.0.0.1:1/signal");
            String key = NodeRegistry.nodeKey("sfu-it-dies");
            waitFor("the entry", 10_000, () -> get(key) != null);
            // Still there after several TTLs' worth of heartbeats.
            Thread.sleep(2_000);
            assertThat(get(key)).isNotNull();
            // The node freezes (no heartbeat, no deregistration): its entry expires.
            timer.shutdownNow();
            long frozen = System.currentTimeMillis();
            waitFor("the entry to expire", 5_000, () -> get(key) == null);
            System.out.printf("a frozen node's entry expired %d ms after its last heartbeat (TTL 1500 ms)%n",
                    System.currentTimeMillis() - frozen);
        } finally {
            timer.shutdownNow();
            registry.stop();
        }
    }
}
