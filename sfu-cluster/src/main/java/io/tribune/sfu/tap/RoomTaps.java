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
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The media taps of this node, one per recorded room at most, turned on and off by the api-server's
 * {@code record_start}/{@code record_stop} commands ({@code app.HostControls}) and, for a room created while its
 * meeting is recorded, by the recording key the {@link RecordingLookup} reads (events' {@code MediaTaps}).
 *
 * <pre>
 *   record_start --> start(room, recording) -> RoomTap (taps every announced track: PublishedTrack.addTap)
 *   node timer, every 200 ms: rooms new on this node -> RecordingLookup -> start; each RoomTap.sync(room);
 *       a room gone -> its RoomTap closes (Ended events); it is looked up again if it comes back
 *   record_stop  --> stop(room, recording) -> RoomTap.close (Ended events)
 * </pre>
 *
 * <p>Without Kafka ({@code queue} null) every start is refused and logged. Thread-safe: start, stop and the timer
 * are serialised on this object.
 */
public final class RoomTaps implements AutoCloseable {

    static final long SYNC_MILLIS = 200;
    private static final Logger LOGGER = Logger.getLogger(RoomTaps.class.getName());

    /** Reads whether a meeting is being recorded; answers (with the recording id) only when it is. Async. */
    public interface RecordingLookup {
        void recordingOf(String roomId, Consumer<String> recorded);
    }

    /** What became of a start. */
    public enum Start { STARTED, ALREADY_RUNNING, NOT_ON_THIS_NODE, REFUSED_NO_KAFKA }

    private final Rooms rooms;
    private final TapQueue queue;
    private final Clock clock;
    private final Map<String, RoomTap> taps = new ConcurrentHashMap<>();
    private final Set<String> knownRooms = new HashSet<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile RecordingLookup lookup = (roomId, recorded) -> {
    };
    private ScheduledFuture<?> timer;
    private boolean closed;

    /** @param queue where tapped records go; null when no Kafka is configured (every start is refused) */
    public RoomTaps(Rooms rooms, TapQueue queue, Clock clock) {
        this.rooms = rooms;
        this.queue = queue;
        this.clock = clock;
    }

    public void setLookup(RecordingLookup lookup) {
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
     * Taps a room for a recording. A start for the recording already tapped is harmless; one for another recording
     * ends the old tap first (its tracks' Ended events name the old recording).
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
        if (running != null && running.recordingId().equals(recordingId)) {
            return Start.ALREADY_RUNNING;
        }
        Optional<Room> room = rooms.room(roomId);
        if (room.isEmpty()) {
            // Another node's room, or nobody joined yet: the key is read when the room is created here.
            return Start.NOT_ON_THIS_NODE;
        }
        if (running != null) {
            stop(roomId, running.recordingId());
        }
        RoomTap tap = new RoomTap(roomId, recordingId, queue, clock);
        taps.put(roomId, tap);
        tap.sync(room.get());
        LOGGER.log(Level.INFO, "media tap of room {0} started for recording {1}", new Object[] {roomId, recordingId});
        return Start.STARTED;
    }

    /** Ends a room's tap if it serves {@code recordingId}; false when none does (a stale stop is ignored). */
    public synchronized boolean stop(String roomId, String recordingId) {
        RoomTap tap = taps.get(roomId);
        if (tap == null || !tap.recordingId().equals(recordingId)) {
            return false;
        }
        taps.remove(roomId);
        tap.close();
        LOGGER.log(Level.INFO, "media tap of room {0} stopped (recording {1})", new Object[] {roomId, recordingId});
        return true;
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
        for (String roomId : current) {
            if (knownRooms.add(roomId) && queue != null && !taps.containsKey(roomId)) {
                try {
                    lookup.recordingOf(roomId, recordingId -> start(roomId, recordingId));
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "cannot read whether room " + roomId + " is recorded", e);
                }
            }
        }
        for (RoomTap tap : List.copyOf(taps.values())) {
            try {
                Optional<Room> room = rooms.room(tap.roomId());
                if (room.isEmpty()) {
                    taps.remove(tap.roomId());
                    tap.close();
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
