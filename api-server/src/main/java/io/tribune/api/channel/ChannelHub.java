package io.tribune.api.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans meeting-channel events out to every connection of the meeting, on every api-server instance: an event is
 * published to the meeting's Redis topic ({@link RedisKeys#channelTopic}); each instance with connections in that
 * meeting subscribes while it has any, and hands each event to its local connections. An event with an
 * {@code only} list reaches just those participants (private chat, a host's mute request).
 *
 * <pre>
 *   MeetingChannel --publish--> Redis topic tribune:meeting:{id}:channel
 *       --> each subscribed instance: ChannelHub.deliver --> ChannelSocket.send (filtered by "only")
 * </pre>
 *
 * <p>Thread-safe. Redisson delivers topic messages on its own threads; sending is the sockets' business.
 */
final class ChannelHub {

    /** A local connection the hub delivers to. */
    interface Member {
        String meetingId();

        String participantId();

        void deliver(String event, JsonNode parsed);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChannelHub.class);

    private final RedissonManager redis;
    private final ObjectMapper json;
    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();

    private final class LocalRoom {
        final Set<Member> members = ConcurrentHashMap.newKeySet();
        final int listenerId;

        LocalRoom(String meetingId) {
            listenerId = topic(meetingId).addListener(String.class, (channel, event) -> deliver(this, event));
        }
    }

    ChannelHub(RedissonManager redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** Starts delivering the meeting's events to {@code member} (subscribing the instance if it is the first). */
    void add(Member member) {
        rooms.compute(member.meetingId(), (id, room) -> {
            LocalRoom joined = room == null ? new LocalRoom(id) : room;
            joined.members.add(member);
            return joined;
        });
    }

    /** Stops delivering to {@code member} (unsubscribing the instance after its last member in the meeting). */
    void remove(Member member) {
        rooms.computeIfPresent(member.meetingId(), (id, room) -> {
            room.members.remove(member);
            if (room.members.isEmpty()) {
                topic(id).removeListener(room.listenerId);
                return null;
            }
            return room;
        });
    }

    /** Local connections, all meetings. */
    int connections() {
        return rooms.values().stream().mapToInt(room -> room.members.size()).sum();
    }

    /** Sends {@code event} to every connection of the meeting, on every instance. */
    void publish(String meetingId, ObjectNode event) {
        topic(meetingId).publish(event.toString());
    }

    private void deliver(LocalRoom room, String event) {
        JsonNode parsed;
        try {
            parsed = json.readTree(event);
        } catch (Exception e) {
            LOG.warn("Dropped an unreadable channel event: {}", e.toString());
            return;
        }
        Set<String> only = null;
        if (parsed.has("only")) {
            only = new HashSet<>();
            for (JsonNode id : parsed.get("only")) {
                only.add(id.asText());
            }
        }
        for (Member member : room.members) {
            if (only == null || only.contains(member.participantId())) {
                member.deliver(event, parsed);
            }
        }
    }

    private RTopic topic(String meetingId) {
        return redis.client().getTopic(RedisKeys.channelTopic(meetingId), StringCodec.INSTANCE);
    }
}
