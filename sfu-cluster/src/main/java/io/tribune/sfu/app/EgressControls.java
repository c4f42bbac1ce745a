package io.tribune.sfu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.tribune.sfu.egress.EgressDescription;
import io.tribune.sfu.egress.EgressTarget;
import io.tribune.sfu.egress.StageEgresses;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.Redisson;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

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
    private static final String PATTERN = "tribune:meeting:{*}:egress-control";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String uri;
    private final StageEgresses egresses;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile RedissonClient redis;

    public EgressControls(String uri, StageEgresses egresses) {
        this.uri = uri;
        this.egresses = egresses;
    }

    @Override
    public void start() {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress(uri).setClientName("sfu-egress").setRetryAttempts(1);
        RedissonClient client = Redisson.create(config);
        RPatternTopic topic = client.getPatternTopic(PATTERN, StringCodec.INSTANCE);
        topic.addListener(String.class, (pattern, channel, message) -> apply(channel.toString(), message));
        redis = client;
        egresses.setListener(this);
    }

    @Override
    public void stop() {
        RedissonClient client = redis;
        if (client != null) {
            client.shutdown();
        }
    }

    public long applied() {
        return applied.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Applies one command that arrived on channel {@code tribune:meeting:{<id>}:egress-control}. */
    public void apply(String channel, String message) {
        int open = channel.indexOf('{');
        int close = channel.indexOf("}:", open);
        JsonNode command;
        try {
            command = JSON.readTree(message);
        } catch (IOException e) {
            command = null;
        }
        if (open < 0 || close <= open + 1 || command == null || !command.path("action").isTextual()) {
            dropped.incrementAndGet();
            return;
        }
        String room = channel.substring(open + 1, close);
        switch (command.path("action").asText()) {
            case "start" -> {
                try {
                    EgressTarget target = EgressTarget.of(command.path("host").asText(null),
                            command.path("port").asInt(-1));
                    described(egresses.start(room, target));
                } catch (IllegalArgumentException e) {
                    LOGGER.log(Level.WARNING, "egress start for room {0} refused: {1}",
                            new Object[] {room, e.getMessage()});
                    dropped.incrementAndGet();
                    return;
                }
            }
            case "stop" -> egresses.stop(room);
            default -> {
                dropped.incrementAndGet();
                return;
            }
        }
        applied.incrementAndGet();
    }

    @Override
    public void described(EgressDescription description) {
        RedissonClient client = redis;
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
        RedissonClient client = redis;
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
