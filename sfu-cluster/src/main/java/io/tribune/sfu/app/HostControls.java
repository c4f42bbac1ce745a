package io.tribune.sfu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.tribune.sfu.room.Room;
import io.tribune.sfu.room.Rooms;
import org.redisson.Redisson;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the api-server decides about a meeting's media, applied here at once: it publishes JSON commands on the
 * Redis channel {@code tribune:meeting:{<id>}:sfu-control} ({@code {"action":"mute","participant_id","kind"}},
 * {@code remove}, {@code end}), and keeps the participants a host removed in {@code tribune:meeting:{<id>}:revoked},
 * which joins are checked against. The room id is the meeting id (the join token's {@code room} claim).
 *
 * <pre>
 *   api-server (meeting channel) --PUBLISH--> Redis --pattern subscription--> HostControls.apply
 *       mute   -> Room.muteByHost (track_muted to everyone)
 *       remove -> Rooms.remove (removed, close 4002)        end -> Rooms.remove for everyone
 * </pre>
 *
 * <p>Malformed commands are counted and dropped. When Redis cannot be asked, a join is let through (the token
 * itself is still verified and single-use) and the failure is logged: availability over a check that the
 * api-server already made when it issued the token. Thread-safe; commands run on Redisson's threads.
 */
public final class HostControls implements Managed {

    private static final Logger LOGGER = Logger.getLogger(HostControls.class.getName());
    private static final String PATTERN = "tribune:meeting:{*}:sfu-control";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String uri;
    private final Rooms rooms;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile RedissonClient redis;

    public HostControls(String uri, Rooms rooms) {
        this.uri = uri;
        this.rooms = rooms;
    }

    @Override
    public void start() {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress(uri).setClientName("sfu").setRetryAttempts(1);
        RedissonClient client = Redisson.create(config);
        RPatternTopic topic = client.getPatternTopic(PATTERN, StringCodec.INSTANCE);
        topic.addListener(String.class, (pattern, channel, message) -> apply(channel.toString(), message));
        redis = client;
    }

    @Override
    public void stop() {
        RedissonClient client = redis;
        if (client != null) {
            client.shutdown();
        }
    }

    /** Whether a host removed {@code subject} from meeting {@code room}. */
    public boolean isRevoked(String room, String subject) {
        RedissonClient client = redis;
        if (client == null) {
            return false;
        }
        try {
            return client.getSet("tribune:meeting:{" + room + "}:revoked", StringCodec.INSTANCE).contains(subject);
        } catch (RedisException | IllegalStateException e) {
            LOGGER.log(Level.WARNING, "Cannot check removed participants in Redis; letting a join through: {0}",
                    e.toString());
            return false;
        }
    }

    public long applied() {
        return applied.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Applies one command that arrived on channel {@code tribune:meeting:{<id>}:sfu-control}. */
    public void apply(String channel, String message) {
        int open = channel.indexOf('{');
        int close = channel.indexOf("}:", open);
        JsonNode command;
        try {
            command = JSON.readTree(message);
        } catch (Exception e) {
            command = null;
        }
        if (open < 0 || close < 0 || command == null || !command.path("action").isTextual()) {
            dropped.incrementAndGet();
            return;
        }
        String room = channel.substring(open + 1, close);
        String participant = command.path("participant_id").isTextual() ? command.path("participant_id").asText()
                : null;
        switch (command.path("action").asText()) {
            case "mute" -> {
                String kind = command.path("kind").asText();
                if (participant == null || !(kind.equals("audio") || kind.equals("video"))) {
                    dropped.incrementAndGet();
                    return;
                }
                rooms.room(room).ifPresent((Room r) -> r.muteByHost(participant, kind));
            }
            case "remove" -> {
                if (participant == null) {
                    dropped.incrementAndGet();
                    return;
                }
                rooms.remove(room, participant, "removed_by_host");
            }
            case "end" -> rooms.remove(room, null, "meeting_ended");
            default -> {
                dropped.incrementAndGet();
                return;
            }
        }
        applied.incrementAndGet();
    }
}
