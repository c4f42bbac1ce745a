package io.tribune.sfu.egress;

import io.tribune.sfu.room.Rooms;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The RTP egresses of this node, one per room at most, started and stopped by the api-server (through
 * {@code app.EgressControls}) when a town hall's broadcast starts and stops. An egress outlives its room: it waits
 * for the presenters to (re)join and follows whoever publishes on the stage.
 *
 * <p>Thread-safe: start and stop are serialised on this object; the node timer ({@link #SYNC_MILLIS}) syncs each
 * egress with its room and hands changed descriptions to the {@link Listener}.
 */
public final class StageEgresses implements AutoCloseable {

    static final long SYNC_MILLIS = 500;
    private static final Logger LOGGER = Logger.getLogger(StageEgresses.class.getName());

    /** Told when a room's description changes (tracks, dominant speaker) or its egress stops; on the timer thread. */
    public interface Listener {
        void described(EgressDescription description);

        void stopped(String roomId);
    }

    private final Rooms rooms;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Map<String, StageEgress> egresses = new ConcurrentHashMap<>();
    private volatile Listener listener = new Listener() {
        @Override
        public void described(EgressDescription description) {
        }

        @Override
        public void stopped(String roomId) {
        }
    };
    private ScheduledFuture<?> timer;

    public StageEgresses(Rooms rooms, ScheduledExecutorService scheduler, Clock clock) {
        this.rooms = rooms;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    public synchronized void startTimer() {
        if (timer == null) {
            timer = scheduler.scheduleAtFixedRate(this::syncAll, SYNC_MILLIS, SYNC_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts a room's egress toward {@code target}, or keeps the running one if it already goes there (a repeated
     * start is harmless); one toward another target is replaced. Returns the description right after the first
     * sync (the stage as it is now). A track whose socket cannot be opened is left out (and logged) until the next
     * sync.
     */
    public synchronized EgressDescription start(String roomId, EgressTarget target) {
        StageEgress running = egresses.get(roomId);
        if (running != null && running.target().equals(target)) {
            return running.description();
        }
        if (running != null) {
            stop(roomId);
        }
        StageEgress egress = new StageEgress(roomId, target, clock);
        egresses.put(roomId, egress);
        sync(egress);
        LOGGER.log(Level.INFO, "egress of room {0} started toward {1}:{2,number,#}",
                new Object[] {roomId, target.host().getHostAddress(), target.basePort()});
        return egress.description();
    }

    /** Stops a room's egress; false when none runs. */
    public synchronized boolean stop(String roomId) {
        StageEgress egress = egresses.remove(roomId);
        if (egress == null) {
            return false;
        }
        egress.close();
        listener.stopped(roomId);
        LOGGER.log(Level.INFO, "egress of room {0} stopped", roomId);
        return true;
    }

    public Optional<StageEgress> egress(String roomId) {
        return Optional.ofNullable(egresses.get(roomId));
    }

    public Optional<EgressDescription> description(String roomId) {
        return egress(roomId).map(StageEgress::description);
    }

    public List<String> roomIds() {
        return List.copyOf(egresses.keySet());
    }

    private void syncAll() {
        for (StageEgress egress : egresses.values()) {
            try {
                sync(egress);
            } catch (RuntimeException e) {
                // One room's failure must not stop the timer for every room.
                LOGGER.log(Level.WARNING, "egress sync failed in room " + egress.roomId(), e);
            }
        }
    }

    private void sync(StageEgress egress) {
        if (egress.sync(rooms.room(egress.roomId()).orElse(null), clock.millis())) {
            listener.described(egress.description());
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        for (String roomId : List.copyOf(egresses.keySet())) {
            stop(roomId);
        }
    }
}
