package io.tribune.sfu.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.lifecycle.Managed;
import io.tribune.events.MediaTaps;
import io.tribune.sfu.room.Room;
import io.tribune.sfu.room.Rooms;
import io.tribune.sfu.tap.RoomTaps;
import java.util.function.BiConsumer;
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
 *       record_start {recording_id} -> RoomTaps.start      record_stop {recording_id} -> RoomTaps.stop
 *       captions_start -> RoomTaps.captions(on)          captions_stop -> RoomTaps.captions(off)
 *   RoomTaps (a room new on this node) --MGET tribune:meeting:{<id>}:recording, ...:captions--> RoomTaps.restore
 * </pre>
 *
 * <p>Malformed commands are counted and dropped. When Redis cannot be asked, a join is let through (the token
 * itself is still verified and single-use) and the failure is logged: availability over a check that the
 * api-server already made when it issued the token. Thread-safe; commands run on Redisson's threads.
 */
public final class HostControls implements Managed {

    private static final Logger LOGGER = Logger.getLogger(HostControls.class.getName());

    private final Rooms rooms;
    private final RoomTaps taps;
    private final MeetingCommands commands;

    public HostControls(String uri, Rooms rooms) {
        this(uri, rooms, null);
    }

    /** @param taps the node's media taps (record_start/record_stop, captions_start/captions_stop); null refuses them */
    public HostControls(String uri, Rooms rooms, RoomTaps taps) {
        this.rooms = rooms;
        this.taps = taps;
        this.commands = new MeetingCommands(uri, "sfu", "sfu-control", this::apply);
    }

    @Override
    public void start() {
        commands.start();
        if (taps != null) {
            taps.setLookup(this::tapStateOf);
        }
    }

    /**
     * Reads a meeting's recording and captions keys (events' MediaTaps; one hash slot, so one MGET) and answers when
     * either is set: the recording id (or null) and whether captions are on.
     */
    private void tapStateOf(String room, BiConsumer<String, Boolean> found) {
        RedissonClient client = commands.redis();
        if (client == null) {
            return;
        }
        String recordingKey = MediaTaps.recordingKey(room);
        String captionsKey = MediaTaps.captionsKey(room);
        client.getBuckets(StringCodec.INSTANCE).<String>getAsync(recordingKey, captionsKey)
                .whenComplete((values, error) -> {
                    if (error != null) {
                        LOGGER.log(Level.WARNING, "Cannot read whether meeting {0} is recorded or captioned: {1}",
                                new Object[] {room, error.toString()});
                        return;
                    }
                    String recordingId = values.get(recordingKey);
                    if (recordingId != null && recordingId.isBlank()) {
                        recordingId = null;
                    }
                    boolean captions = "on".equals(values.get(captionsKey));
                    if (recordingId != null || captions) {
                        found.accept(recordingId, captions);
                    }
                });
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
            case MediaTaps.RECORD_START, MediaTaps.RECORD_STOP -> {
                String recording = command.path("recording_id").isTextual()
                        ? command.path("recording_id").asText() : "";
                if (recording.isBlank()) {
                    return false;
                }
                if (taps == null) {
                    LOGGER.log(Level.WARNING, "{0} for meeting {1} refused: this node has no media tap",
                            new Object[] {action, room});
                } else if (action.equals(MediaTaps.RECORD_START)) {
                    taps.start(room, recording);
                } else {
                    taps.stop(room, recording);
                }
            }
            case MediaTaps.CAPTIONS_START, MediaTaps.CAPTIONS_STOP -> {
                if (taps == null) {
                    LOGGER.log(Level.WARNING, "{0} for meeting {1} refused: this node has no media tap",
                            new Object[] {action, room});
                } else {
                    taps.captions(room, action.equals(MediaTaps.CAPTIONS_START));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
