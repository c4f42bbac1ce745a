package io.tribune.sfu.tap;

import io.tribune.sfu.room.Room;
import io.tribune.sfu.room.Rooms;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The media taps of this node, one per tapped room at most, turned on and off by the api-server's
 * {@code record_start}/{@code record_stop} and {@code captions_start}/{@code captions_stop} commands
 * ({@code app.HostControls}) and, for a room created while its meeting is recorded or captioned, by the recording
 * and captions keys the {@link TapLookup} reads (events' {@code MediaTaps}).
 *
 * <pre>
 *   record_start --> start(room, recording) -> RoomTap (taps every announced track: PublishedTrack.addTap)
 *   captions_start --> captions(room, true): no tap -> a captions-only RoomTap (recording id null, audio only);
 *       a recording tap -> RoomTap.captions (in-band media.audio_captions per audio track)
 *   node timer, every 200 ms: rooms new on this node -> TapLookup -> restore; each RoomTap.sync(room);
 *       a room gone -> its RoomTap closes (Ended events); it is looked up again if it comes back
 *   record_stop  --> stop(room, recording) -> RoomTap.close (Ended events); captions on -> a captions-only tap
 * </pre>
 *
 * <p>A recording that starts during a captions-only tap ends that tap first (Ended events with a null recording
 * id), then taps for the recording with captions on, so a consumer such as the recording-archive sees every
 * recorded packet after a Started event naming the recording. Captions are remembered per room while the room is
 * on this node ({@link #captionsOn}); a room that comes back is looked up again.
 *
 * <p>Without Kafka ({@code queue} null) every start is refused and logged. Thread-safe: start, stop, captions and
 * the timer are serialised on this object.
 */
public final class RoomTaps implements AutoCloseable {

    static final long SYNC_MILLIS = 200;
    private static final Logger LOGGER = Logger.getLogger(RoomTaps.class.getName());

    /**
     * Reads a meeting's recording and captions keys. Async; answers only when either is set, with the recording id
     * (null when not recorded) and whether captions are on.
     */
    public interface TapLookup {
        void stateOf(String roomId, BiConsumer<String, Boolean> found);
    }

    /** What became of a start. */
    public enum Start { STARTED, ALREADY_RUNNING, NOT_ON_THIS_NODE, REFUSED_NO_KAFKA }

    private final Rooms rooms;
    private final TapQueue queue;
    private final Clock clock;
    private final Map<String, RoomTap> taps = new ConcurrentHashMap<>();
    private final Set<String> knownRooms = new HashSet<>();
    /** Rooms on this node whose meeting has live captions on. */
    private final Set<String> captionsOn = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private volatile TapLookup lookup = (roomId, found) -> {
    };
    private ScheduledFuture<?> timer;
    private boolean closed;

    /** @param queue where tapped records go; null when no Kafka is configured (every start is refused) */
    public RoomTaps(Rooms rooms, TapQueue queue, Clock clock) {
        this.rooms = rooms;
        this.queue = queue;
        this.clock = clock;
    }

    public void setLookup(TapLookup lookup) {
        this.lookup = lookup;
    }

    public synchronized void startTimer(ScheduledExecutorService scheduler) {
        if (timer == null) {
            timer = scheduler.scheduleAtFixedRate(this::syncAll, SYNC_MILLIS, SYNC_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether taps can run (Kafka configured). */
    public boolean enabled() {
        return queue != null;
    }

    /**
     * Taps a room for a recording. A start for the recording already tapped is harmless; one for another recording,
     * or while a captions-only tap runs, ends the old tap first (its tracks' Ended events name the old recording).
     * The new tap carries the room's captions state.
     */
    public synchronized Start start(String roomId, String recordingId) {
        if (closed) {
            return Start.NOT_ON_THIS_NODE;
        }
        if (queue == null) {
            refused.incrementAndGet();
            LOGGER.log(Level.WARNING, "recording {0} of room {1} refused: no Kafka configured for the media tap "
                    + "(kafka.bootstrapServers)", new Object[] {recordingId, roomId});
            return Start.REFUSED_NO_KAFKA;
        }
        RoomTap running = taps.get(roomId);
        if (running != null && recordingId.equals(running.recordingId())) {
            return Start.ALREADY_RUNNING;
        }
        Optional<Room> room = rooms.room(roomId);
        if (room.isEmpty()) {
            // Another node's room, or nobody joined yet: the key is read when the room is created here.
            return Start.NOT_ON_THIS_NODE;
        }
        if (running != null) {
            end(running);
        }
        begin(room.get(), recordingId);
        return Start.STARTED;
    }

    /**
     * Ends a room's tap if it serves {@code recordingId}; false when none does (a stale stop is ignored). With the
     * room's captions on, a captions-only tap of its audio follows.
     */
    public synchronized boolean stop(String roomId, String recordingId) {
        RoomTap tap = taps.get(roomId);
        if (tap == null || tap.recordingId() == null || !tap.recordingId().equals(recordingId)) {
            return false;
        }
        end(tap);
        Optional<Room> room = rooms.room(roomId);
        if (!closed && captionsOn.contains(roomId) && room.isPresent()) {
            begin(room.get(), null);
        }
        return true;
    }

    /**
     * Live captions on or off for a room on this node: a running tap switches its audio tracks in-band; with none,
     * captions on start a captions-only tap (audio tracks, recording id null); captions off end a captions-only tap.
     * A room not on this node is left alone (its captions key is read when the room is created here).
     */
    public synchronized Start captions(String roomId, boolean on) {
        if (!on) {
            captionsOn.remove(roomId);
        }
        if (closed) {
            return Start.NOT_ON_THIS_NODE;
        }
        RoomTap running = taps.get(roomId);
        Optional<Room> room = rooms.room(roomId);
        if (room.isEmpty() && running == null) {
            return Start.NOT_ON_THIS_NODE;
        }
        if (on) {
            captionsOn.add(roomId);
        }
        if (running != null) {
            if (!on && running.recordingId() == null) {
                end(running);
            } else if (running.captions() == on) {
                return Start.ALREADY_RUNNING;
            } else {
                running.captions(on);
                LOGGER.log(Level.INFO, "captions of room {0} {1} (recording {2})",
                        new Object[] {roomId, on ? "on" : "off", running.recordingId()});
            }
            return Start.STARTED;
        }
        if (!on) {
            return Start.ALREADY_RUNNING;
        }
        if (queue == null) {
            refused.incrementAndGet();
            LOGGER.log(Level.WARNING, "captions of room {0} refused: no Kafka configured for the media tap "
                    + "(kafka.bootstrapServers)", roomId);
            return Start.REFUSED_NO_KAFKA;
        }
        begin(room.get(), null);
        return Start.STARTED;
    }

    /** Whether live captions are on for a room on this node. */
    public boolean captionsOn(String roomId) {
        return captionsOn.contains(roomId);
    }

    /** A room new on this node: what its keys say (the recording id or null, captions on or off). */
    synchronized void restore(String roomId, String recordingId, boolean captions) {
        if (recordingId != null) {
            if (captions && rooms.room(roomId).isPresent()) {
                captionsOn.add(roomId); // the recording's tap starts with captions on, no captions-only tap first
            }
            start(roomId, recordingId);
        }
        if (captions) {
            captions(roomId, true);
        }
    }

    private void begin(Room room, String recordingId) {
        RoomTap tap = new RoomTap(room.id(), recordingId, captionsOn.contains(room.id()), queue, clock);
        taps.put(room.id(), tap);
        tap.sync(room);
        LOGGER.log(Level.INFO, "media tap of room {0} started ({1})", new Object[] {room.id(),
                recordingId == null ? "captions only" : "recording " + recordingId});
    }

    private void end(RoomTap tap) {
        taps.remove(tap.roomId());
        tap.close();
        LOGGER.log(Level.INFO, "media tap of room {0} stopped ({1})", new Object[] {tap.roomId(),
                tap.recordingId() == null ? "captions only" : "recording " + tap.recordingId()});
    }

    public Optional<RoomTap> tap(String roomId) {
        return Optional.ofNullable(taps.get(roomId));
    }

    public List<RoomTap> taps() {
        return List.copyOf(taps.values());
    }

    /** Starts refused because no Kafka is configured. */
    public long refused() {
        return refused.get();
    }

    /** The queue to Kafka; empty when none is configured. */
    public Optional<TapQueue> queue() {
        return Optional.ofNullable(queue);
    }

    synchronized void syncAll() {
        List<String> current = rooms.roomIds();
        knownRooms.retainAll(current);
        captionsOn.retainAll(current);
        for (String roomId : current) {
            if (knownRooms.add(roomId) && queue != null && !taps.containsKey(roomId)) {
                try {
                    lookup.stateOf(roomId, (recordingId, captions) -> restore(roomId, recordingId,
                            Boolean.TRUE.equals(captions)));
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "cannot read whether room " + roomId + " is recorded or captioned", e);
                }
            }
        }
        for (RoomTap tap : List.copyOf(taps.values())) {
            try {
                Optional<Room> room = rooms.room(tap.roomId());
                if (room.isEmpty()) {
                    end(tap);
                } else {
                    tap.sync(room.get());
                }
            } catch (RuntimeException e) {
                // One room's failure must not stop the timer for every room.
                LOGGER.log(Level.WARNING, "media tap sync failed in room " + tap.roomId(), e);
            }
        }
    }

    /** Ends every tap (Ended events), then sends what is queued and closes the producer. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        for (RoomTap tap : List.copyOf(taps.values())) {
            tap.close();
        }
        taps.clear();
        if (queue != null) {
            queue.close();
        }
    }
}
