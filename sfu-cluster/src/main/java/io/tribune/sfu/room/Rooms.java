package io.tribune.sfu.room;

import io.tribune.sfu.pipeline.NodeStats;
import io.tribune.sfu.pipeline.Pipeline;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rooms of this node: a room is created by its first join and removed when its last participant leaves.
 * Also sums the pipeline node counters of every endpoint, live and gone, for metrics.
 *
 * <p>Thread-safe: joins and leaves of one room are serialised through the map's per-key lock and the room's lock.
 */
public final class Rooms {

    private static final Logger LOGGER = Logger.getLogger(Rooms.class.getName());

    private final MediaContext media;
    private final RoomSettings settings;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> speakerTimer;
    /** Counts of rooms that are gone. Guarded by itself. */
    private RoomStats closedRooms = RoomStats.EMPTY.countsOnly();
    /** "receive.node" or "send.node" -> counters of endpoints that are gone. */
    private final Map<String, long[]> retired = new ConcurrentHashMap<>();

    public Rooms(MediaContext media) {
        this(media, RoomSettings.DEFAULT);
    }

    public Rooms(MediaContext media, RoomSettings settings) {
        this.media = media;
        this.settings = settings;
    }

    RoomSettings settings() {
        return settings;
    }

    /** Starts every room's speaker detection tick on the node's timer thread. */
    public synchronized void startSpeakerDetection() {
        if (speakerTimer == null) {
            long tick = settings.speakers().tickMillis();
            speakerTimer = media.scheduler().scheduleAtFixedRate(this::tickSpeakers, tick, tick,
                    TimeUnit.MILLISECONDS);
        }
    }

    public synchronized void stopSpeakerDetection() {
        if (speakerTimer != null) {
            speakerTimer.cancel(false);
            speakerTimer = null;
        }
    }

    private void tickSpeakers() {
        long now = media.clock().millis();
        for (Room room : rooms.values()) {
            try {
                room.tickSpeakers(now);
            } catch (RuntimeException e) {
                // One room's failure must not stop the timer for every room.
                LOGGER.log(Level.WARNING, "speaker detection failed in room " + room.id(), e);
            }
        }
    }

    /**
     * What a join returns: the new participant, the others already in the room, and the room's dominant speaker
     * (null if nobody spoke yet).
     */
    public record Joined(Participant participant, List<ParticipantInfo> others, String activeSpeaker) {
    }

    /**
     * Puts a participant into a room, creating the room if needed. A participant already there with the same id
     * (the same person reconnecting) is replaced and told so.
     */
    public Joined join(String roomId, String participantId, String name, String role, Set<String> permissions,
                       ParticipantEvents events) {
        Joined[] result = new Joined[1];
        rooms.compute(roomId, (key, room) -> {
            Room target = room != null ? room : new Room(key, this, media);
            Participant participant = new Participant(participantId, name, role, permissions, target, events, media);
            result[0] = new Joined(participant, target.join(participant), target.activeSpeaker());
            return target;
        });
        return result[0];
    }

    /**
     * Removes one participant of a room (a host removed them), or everyone ({@code participantId} null: the
     * meeting ended). Each is told {@code removed} with the reason before its transport closes.
     *
     * @return how many participants were removed
     */
    public int remove(String roomId, String participantId, String reason) {
        Optional<Room> room = room(roomId);
        if (room.isEmpty()) {
            return 0;
        }
        int removed = 0;
        for (Participant participant : room.get().participants()) {
            if (participantId == null || participant.id().equals(participantId)) {
                participant.events().removed(reason);
                leave(participant, reason);
                removed++;
            }
        }
        return removed;
    }

    /** Takes a participant out of its room; the room goes when it is empty. Idempotent. */
    public void leave(Participant participant, String reason) {
        List<Pipeline> pipelines = participant.pipelines();
        boolean[] removed = new boolean[1];
        rooms.computeIfPresent(participant.room().id(), (key, room) -> {
            if (room != participant.room() || !room.contains(participant)) {
                return room;
            }
            removed[0] = true;
            if (room.leave(participant, reason)) {
                RoomStats last = room.stats().countsOnly();
                synchronized (this) {
                    closedRooms = closedRooms.plus(last);
                }
                return null;
            }
            return room;
        });
        if (removed[0]) {
            retire(pipelines);
        }
    }

    private void retire(List<Pipeline> pipelines) {
        for (Pipeline pipeline : pipelines) {
            for (NodeStats stats : pipeline.stats()) {
                long[] sum = retired.computeIfAbsent(kind(pipeline) + "." + stats.name(), k -> new long[4]);
                synchronized (sum) {
                    sum[0] += stats.packetsIn();
                    sum[1] += stats.packetsOut();
                    sum[2] += stats.packetsDropped();
                    sum[3] += stats.nanos();
                }
            }
        }
    }

    private static String kind(Pipeline pipeline) {
        return pipeline.name().startsWith("send") ? "send" : "receive";
    }

    /** Each room's stats, by room id. */
    public Map<String, RoomStats> roomStats() {
        Map<String, RoomStats> out = new TreeMap<>();
        for (Room room : rooms.values()) {
            out.put(room.id(), room.stats());
        }
        return out;
    }

    /** The whole node: the live rooms' stats summed, plus the counts of every room that is gone. */
    public RoomStats nodeStats() {
        RoomStats total;
        synchronized (this) {
            total = closedRooms;
        }
        for (RoomStats room : roomStats().values()) {
            total = total.plus(room);
        }
        return total;
    }

    /** The ids of the rooms on this node now. */
    public List<String> roomIds() {
        return List.copyOf(rooms.keySet());
    }

    public Optional<Room> room(String roomId) {
        return Optional.ofNullable(rooms.get(roomId));
    }

    /** The rooms now on this node, for metrics. */
    public List<Room> rooms() {
        return List.copyOf(rooms.values());
    }

    public int roomCount() {
        return rooms.size();
    }

    public int participantCount() {
        return rooms.values().stream().mapToInt(Room::size).sum();
    }

    /**
     * Per node of the receive and send pipelines ("receive.track-classifier", "send.srtp-encrypt", ...): packets in,
     * out, dropped and nanoseconds, summed over every endpoint this node has had. Approximate while packets flow.
     */
    public Map<String, NodeStats> nodeTotals() {
        Map<String, long[]> sums = new TreeMap<>();
        retired.forEach((name, sum) -> {
            synchronized (sum) {
                sums.put(name, sum.clone());
            }
        });
        for (Room room : rooms.values()) {
            for (Participant participant : room.participants()) {
                for (Pipeline pipeline : participant.pipelines()) {
                    for (NodeStats stats : pipeline.stats()) {
                        long[] sum = sums.computeIfAbsent(kind(pipeline) + "." + stats.name(), k -> new long[4]);
                        sum[0] += stats.packetsIn();
                        sum[1] += stats.packetsOut();
                        sum[2] += stats.packetsDropped();
                        sum[3] += stats.nanos();
                    }
                }
            }
        }
        Map<String, NodeStats> out = new TreeMap<>();
        sums.forEach((name, s) -> out.put(name, new NodeStats(name, s[0], s[1], s[2], s[3])));
        return out;
    }
}
