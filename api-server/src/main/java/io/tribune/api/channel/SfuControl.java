package io.tribune.api.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.redis.RedissonManager;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;

/**
 * Host controls that must take effect in the media, sent to the meeting's SFU room at once over Redis pub/sub
 * ({@link RedisKeys#sfuControl}): {@code mute} (kind {@code audio} or {@code video}), {@code remove} and
 * {@code end}. The SFU node that hosts the room applies them; the durable record goes through the outbox.
 * Thread-safe.
 */
final class SfuControl {

    private final RedissonManager redis;
    private final ObjectMapper json;
    private final Clock clock;

    SfuControl(RedissonManager redis, ObjectMapper json, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.clock = clock;
    }

    /** @return how many subscribers (SFU nodes) received it */
    long send(String meetingId, String action, String participantId, String kind, String by) {
        ObjectNode command = json.createObjectNode().put("action", action).put("by", by)
                .put("at", clock.instant().toString());
        if (participantId != null) {
            command.put("participant_id", participantId);
        }
        if (kind != null) {
            command.put("kind", kind);
        }
        return redis.client().getTopic(RedisKeys.sfuControl(meetingId), StringCodec.INSTANCE)
                .publish(command.toString());
    }
}
