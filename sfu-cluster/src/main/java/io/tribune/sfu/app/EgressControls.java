package io.tribune.sfu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.tribune.sfu.egress.EgressDescription;
import io.tribune.sfu.egress.EgressTarget;
import io.tribune.sfu.egress.StageEgresses;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

/**
 * Starts and stops a town hall's RTP egress when the api-server says so, and tells it (and the transcoder) what is
 * being sent. Commands are JSON on the Redis channel {@code tribune:meeting:{<id>}:egress-control}:
 * {@code {"action":"start","host":"10.0.0.7","port":5004}} and {@code {"action":"stop"}}. The description of the
 * streams (JSON with the caps and an SDP, {@link EgressDescription#toMap()}) is kept in the key
 * {@code tribune:meeting:{<id>}:egress} and published on {@code tribune:meeting:{<id>}:egress-description} at
 * each change (tracks published or gone, a new dominant speaker). See docs/sfu-signaling.md, "RTP egress".
 *
 * <pre>
 *   api-server --PUBLISH egress-control--> Redis --pattern subscription--> apply -> StageEgresses.start / stop
 *   StageEgresses (node timer) --described--> SET egress, PUBLISH egress-description --> transcoder
 * </pre>
 *
 * <p>Malformed commands are counted and dropped. Thread-safe; commands run on Redisson's threads, descriptions
 * are written from the node timer.
 */
public final class EgressControls implements Managed, StageEgresses.Listener {

    private static final Logger LOGGER = Logger.getLogger(EgressControls.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StageEgresses egresses;
    private final MeetingCommands commands;

    public EgressControls(String uri, StageEgresses egresses) {
        this.egresses = egresses;
        this.commands = new MeetingCommands(uri, "sfu-egress", "egress-control", this::apply);
    }

    @Override
    public void start() {
        commands.start();
        egresses.setListener(this);
    }

    @Override
    public void stop() {
        commands.stop();
    }

    public long applied() {
        return commands.applied();
    }

    public long dropped() {
        return commands.dropped();
    }

    /** Applies one command that arrived on channel {@code tribune:meeting:{<id>}:egress-control}. */
    public void apply(String channel, String message) {
        commands.apply(channel, message);
    }

    private boolean apply(String room, String action, JsonNode command) {
        switch (action) {
            case "start" -> {
                try {
                    EgressTarget target = EgressTarget.of(command.path("host").asText(null),
                            command.path("port").asInt(-1));
                    described(egresses.start(room, target));
                } catch (IllegalArgumentException e) {
                    LOGGER.log(Level.WARNING, "egress start for room {0} refused: {1}",
                            new Object[] {room, e.getMessage()});
                    return false;
                }
            }
            case "stop" -> egresses.stop(room);
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void described(EgressDescription description) {
        RedissonClient client = commands.redis();
        if (client == null) {
            return;
        }
        String key = "tribune:meeting:{" + description.room() + "}:egress";
        try {
            String json = JSON.writeValueAsString(description.toMap());
            client.getBucket(key, StringCodec.INSTANCE).set(json);
            client.getTopic(key + "-description", StringCodec.INSTANCE).publish(json);
        } catch (IOException | RedisException | IllegalStateException e) {
            LOGGER.log(Level.WARNING, "cannot write the egress description of room {0}: {1}",
                    new Object[] {description.room(), e.toString()});
        }
    }

    @Override
    public void stopped(String roomId) {
        RedissonClient client = commands.redis();
        if (client == null) {
            return;
        }
        try {
            client.getBucket("tribune:meeting:{" + roomId + "}:egress", StringCodec.INSTANCE).delete();
        } catch (RedisException | IllegalStateException e) {
            LOGGER.log(Level.WARNING, "cannot remove the egress description of room {0}: {1}",
                    new Object[] {roomId, e.toString()});
        }
    }
}
