package io.tribune.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.redis.RedissonManager;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which SFU node a meeting's participants connect to: the node the meeting's room is already placed on while that
 * node is alive, otherwise the least-loaded live node, recorded as the room's placement. The SFU nodes register
 * themselves in Redis (sfu-cluster's {@code NodeRegistry}; the key names below are that contract):
 *
 * <pre>
 *   tribune:sfu:nodes                    sorted set: node id -> its latest heartbeat (epoch ms)
 *   tribune:sfu:node:&lt;id&gt;               JSON {signaling_url, load (0..1), endpoints, ...}; expires when the node dies
 *   tribune:meeting:{&lt;id&gt;}:sfu-node      the room's node; the node renews it while the room lives
 * </pre>
 *
 * <p>When no node is registered (a single node without Redis registration) or Redis cannot be asked, the configured
 * {@code meetings.signalingUrl} is the answer, as before there was a registry.
 *
 * <p>Thread-safe: every step is one Redis command; a placement is made with set-if-absent or compare-and-set, so
 * two api-servers placing the same room at once agree on one node.
 */
public final class SfuPlacement {

    private static final Logger LOG = LoggerFactory.getLogger(SfuPlacement.class);
    static final String NODES = "tribune:sfu:nodes";
    /** Index members not seen for this long are pruned (their entries expired long ago). */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    /**
     * A new placement lives this long without renewal: enough for the join token to be used (2 minutes); from
     * then on, the node renews it while the room lives.
     */
    static final Duration PLACEMENT_TTL = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedissonManager redis;
    private final URI fallback;
    private final Clock clock;

    public SfuPlacement(RedissonManager redis, URI fallback, Clock clock) {
        this.redis = Objects.requireNonNull(redis);
        this.fallback = Objects.requireNonNull(fallback);
        this.clock = Objects.requireNonNull(clock);
    }

    static String nodeKey(String nodeId) {
        return "tribune:sfu:node:" + nodeId;
    }

    static String roomKey(String meetingId) {
        return "tribune:meeting:{" + meetingId + "}:sfu-node";
    }

    /** A live node as its entry describes it. */
    record Node(String id, URI signalingUrl, double load, int endpoints) {
    }

    /** The signaling URL for a participant joining this meeting now. */
    public URI signalingUrl(String meetingId) {
        try {
            Map<String, Node> live = liveNodes();
            if (live.isEmpty()) {
                return fallback;
            }
            RBucket<String> room = redis.client().getBucket(roomKey(meetingId), StringCodec.INSTANCE);
            for (int attempt = 0; attempt < 3; attempt++) {
                String placed = room.get();
                if (placed != null && live.containsKey(placed)) {
                    return live.get(placed).signalingUrl();
                }
                Node chosen = leastLoaded(live.values());
                boolean won = placed == null ? room.setIfAbsent(chosen.id(), PLACEMENT_TTL)
                        : room.compareAndSet(placed, chosen.id());
                if (won) {
                    if (placed != null) {
                        room.expire(PLACEMENT_TTL);
                        LOG.info("meeting {} moved from SFU node {} (gone) to {}", meetingId, placed, chosen.id());
                    }
                    return chosen.signalingUrl();
                }
                // Another api-server placed it meanwhile: read its choice.
            }
            return fallback;
        } catch (RedisException | IllegalStateException e) {
            LOG.warn("cannot read the SFU node registry; sending meeting {} to {}: {}", meetingId, fallback,
                    e.toString());
            return fallback;
        }
    }

    /** The registered nodes whose entries have not expired. */
    Map<String, Node> liveNodes() {
        RedissonClient client = redis.client();
        var index = client.getScoredSortedSet(NODES, StringCodec.INSTANCE);
        long now = clock.millis();
        index.removeRangeByScore(0, true, now - FORGET_AFTER.toMillis(), true);
        List<String> keys = new ArrayList<>();
        for (Object id : index.readAll()) {
            keys.add(nodeKey(id.toString()));
        }
        Map<String, Node> live = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return live;
        }
        Map<String, Object> entries = client.getBuckets(StringCodec.INSTANCE).get(keys.toArray(String[]::new));
        entries.forEach((key, value) -> {
            Node node = parse(key.substring(nodeKey("").length()), String.valueOf(value));
            if (node != null) {
                live.put(node.id(), node);
            }
        });
        return live;
    }

    private static Node parse(String id, String json) {
        try {
            JsonNode entry = JSON.readTree(json);
            URI url = URI.create(entry.path("signaling_url").asText());
            if (url.getScheme() == null || url.getHost() == null) {
                return null;
            }
            return new Node(id, url, entry.path("load").asDouble(1), entry.path("endpoints").asInt());
        } catch (Exception e) {
            LOG.warn("ignoring the unreadable registry entry of SFU node {}", id);
            return null;
        }
    }

    /** Lowest load first, then fewer endpoints, then the node id (so every api-server picks alike). */
    static Node leastLoaded(java.util.Collection<Node> nodes) {
        return nodes.stream().min(Comparator.comparingDouble(Node::load).thenComparingInt(Node::endpoints)
                .thenComparing(Node::id)).orElseThrow();
    }
}
