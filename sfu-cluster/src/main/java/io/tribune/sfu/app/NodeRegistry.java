package io.tribune.sfu.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import io.tribune.sfu.room.Rooms;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * This node's entry in the Redis node registry, which the api-server reads to send each room's participants to
 * one node (the least-loaded live one, and the same one for everyone in a room):
 *
 * <pre>
 *   tribune:sfu:node:&lt;id&gt;              JSON: signaling_url, region, rooms, endpoints, streams, rates, cpu, load
 *                                       (expires after the TTL: a node that dies disappears)
 *   tribune:sfu:nodes                   sorted set: node id -> time of its latest heartbeat (epoch ms)
 *   tribune:meeting:{&lt;room&gt;}:sfu-node   the node a room is placed on; each heartbeat renews it for the rooms
 *                                       this node holds, unless the api-server placed the room elsewhere
 * </pre>
 *
 * <p>A heartbeat runs every {@code heartbeat} on a timer of its own, given by the caller (Redis calls block; they
 * must never delay the media timers). {@link #stop()} deregisters: the entry, the index member and this node's room
 * placements go at once, and no heartbeat runs after it. A failed heartbeat is logged and retried at the next one.
 * Thread-safe: heartbeats and {@link #stop()} are serialised.
 */
public final class NodeRegistry implements Managed {

    private static final Logger LOGGER = Logger.getLogger(NodeRegistry.class.getName());
    public static final String NODES = "tribune:sfu:nodes";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sets a room's placement to this node if it has none or already names this node, renewing its TTL. */
    private static final String CLAIM_ROOM = "local v = redis.call('GET', KEYS[1]) "
            + "if (not v) or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
            + "return 0";
    /** Deletes a room's placement if it names this node. */
    private static final String RELEASE_ROOM = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) end return 0";

    /**
     * @param nodeId this node's id in the registry
     * @param region a place name for operators
     * @param heartbeat how often the entry is refreshed
     * @param ttl how long an entry lives without a heartbeat
     * @param roomTtl how long a room placement lives without a renewal (longer than the TTL: a room briefly empty
     *                keeps its node)
     * @param maxEndpoints endpoints at full load
     */
    public record Settings(String nodeId, String region, Duration heartbeat, Duration ttl, Duration roomTtl,
                           int maxEndpoints, List<String> mediaAddresses, int mediaPort) {
    }

    private final String redisUri;
    private final Settings settings;
    private final Rooms rooms;
    private final NodeLoad load;
    private final Clock clock;
    private final long startedAt;
    private final ScheduledExecutorService timer;
    private volatile RedissonClient redis;
    private volatile String signalingUrl;
    private boolean stopped;

    /** @param timer the thread heartbeats run on; not shared with media timers */
    public NodeRegistry(String redisUri, Settings settings, Rooms rooms, NodeLoad load, Clock clock,
                        ScheduledExecutorService timer) {
        this.redisUri = redisUri;
        this.timer = timer;
        this.settings = settings;
        this.rooms = rooms;
        this.load = load;
        this.clock = clock;
        this.startedAt = clock.millis();
    }

    public static String nodeKey(String nodeId) {
        return "tribune:sfu:node:" + nodeId;
    }

    public static String roomKey(String roomId) {
        return "tribune:meeting:{" + roomId + "}:sfu-node";
    }

    @Override
    public void start() {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress(redisUri).setClientName("sfu-registry-" + settings.nodeId())
                .setRetryAttempts(1);
        redis = Redisson.create(config);
    }

    /** Registers now and then every heartbeat; called once the signaling connector listens. */
    public void announce(String url) {
        signalingUrl = url;
        long every = settings.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::heartbeatQuietly, 0, every, TimeUnit.MILLISECONDS);
        LOGGER.info(() -> "registering SFU node " + settings.nodeId() + " (" + url + ") in Redis every " + every
                + " ms");
    }

    private void heartbeatQuietly() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "SFU node registry heartbeat failed: {0}", e.toString());
        }
    }

    /** Writes the entry, renews the index and this node's room placements. */
    public synchronized void heartbeat() {
        RedissonClient client = redis;
        if (client == null || signalingUrl == null || stopped) {
            return;
        }
        NodeLoad.Sample sample = load.sample();
        long now = clock.millis();
        List<String> roomIds = rooms.roomIds();
        ObjectNode entry = JSON.createObjectNode().put("node_id", settings.nodeId()).put("region", settings.region())
                .put("signaling_url", signalingUrl).put("rooms", roomIds.size())
                .put("endpoints", sample.endpoints()).put("streams", sample.streams())
                .put("packets_per_second", Math.round(sample.packetsPerSecondOut()))
                .put("bitrate_bps", Math.round(sample.bitsPerSecondOut()))
                .put("packets_per_second_in", Math.round(sample.packetsPerSecondIn()))
                .put("bitrate_bps_in", Math.round(sample.bitsPerSecondIn()))
                .put("cpu", Math.round(sample.cpu() * 1000) / 1000.0)
                .put("load", Math.round(sample.load(settings.maxEndpoints()) * 1000) / 1000.0)
                .put("max_endpoints", settings.maxEndpoints()).put("started_at", startedAt).put("updated_at", now)
                .put("ttl_ms", settings.ttl().toMillis());
        entry.putObject("media").put("port", settings.mediaPort()).putPOJO("addresses", settings.mediaAddresses());
        var roomList = entry.putArray("room_ids");
        roomIds.stream().limit(100).forEach(roomList::add);
        client.getBucket(nodeKey(settings.nodeId()), StringCodec.INSTANCE).set(entry.toString(), settings.ttl());
        client.getScoredSortedSet(NODES, StringCodec.INSTANCE).add(now, settings.nodeId());
        RScript script = client.getScript(StringCodec.INSTANCE);
        for (String room : roomIds) {
            script.eval(roomKey(room), RScript.Mode.READ_WRITE, CLAIM_ROOM, RScript.ReturnType.LONG,
                    List.of(roomKey(room)), settings.nodeId(), Long.toString(settings.roomTtl().toMillis()));
        }
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        RedissonClient client = redis;
        if (client == null) {
            return;
        }
        try {
            deregister(client);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "SFU node registry: could not deregister (the entry expires by itself): {0}",
                    e.toString());
        } finally {
            client.shutdown();
            redis = null;
        }
    }

    private void deregister(RedissonClient client) {
        client.getBucket(nodeKey(settings.nodeId()), StringCodec.INSTANCE).delete();
        client.getScoredSortedSet(NODES, StringCodec.INSTANCE).remove(settings.nodeId());
        RScript script = client.getScript(StringCodec.INSTANCE);
        for (String room : rooms.roomIds()) {
            script.eval(roomKey(room), RScript.Mode.READ_WRITE, RELEASE_ROOM, RScript.ReturnType.LONG,
                    List.of(roomKey(room)), settings.nodeId());
        }
        LOGGER.info(() -> "SFU node " + settings.nodeId() + " deregistered");
    }

    public String nodeId() {
        return settings.nodeId();
    }
}
