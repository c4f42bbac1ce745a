package io.tribune.sfu.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.lifecycle.Managed;
import io.tribune.sfu.room.Room;
import io.tribune.sfu.room.Rooms;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

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

    private final Rooms rooms;
    private final MeetingCommands commands;

    public HostControls(String uri, Rooms rooms) {
        this.rooms = rooms;
        this.commands = new MeetingCommands(uri, "sfu", "sfu-control", this::apply);
    }

    @Override
    public void start() {
        commands.start();
    }

    @Override
    public void stop() {
        commands.stop();
    }

    /** Whether a host removed {@code subject} from meeting {@code room}. */
    public boolean isRevoked(String room, String subject) {
        RedissonClient client = commands.redis();
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
        return commands.applied();
    }

    public long dropped() {
        return commands.dropped();
    }

    /** Applies one command that arrived on channel {@code tribune:meeting:{<id>}:sfu-control}. */
    public void apply(String channel, String message) {
        commands.apply(channel, message);
    }

    private boolean apply(String room, String action, JsonNode command) {
        String participant = command.path("participant_id").isTextual() ? command.path("participant_id").asText()
                : null;
        switch (action) {
            case "mute" -> {
                String kind = command.path("kind").asText();
                if (participant == null || !(kind.equals("audio") || kind.equals("video"))) {
                    return false;
                }
                rooms.room(room).ifPresent((Room r) -> r.muteByHost(participant, kind));
            }
            case "remove" -> {
                if (participant == null) {
                    return false;
                }
                rooms.remove(room, participant, "removed_by_host");
            }
            case "end" -> rooms.remove(room, null, "meeting_ended");
            default -> {
                return false;
            }
        }
        return true;
    }
}
