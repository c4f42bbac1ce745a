package io.tribune.api.core;

import io.dropwizard.lifecycle.Managed;
import io.tribune.api.redis.RedissonManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a recording that keeps running after everyone left: when the last participant leaves a meeting being
 * recorded, the meeting goes into a Redis sorted set ({@link RedisKeys#recordingAutoStops}) scored by when it
 * emptied; if nobody has come back {@code grace} later (a host may reconnect), the recording stops exactly as a
 * host's stop does ({@link MeetingRecordings#stopAutomatically}: catalogue, outbox event, SFU tap off, the channel's
 * {@code recording.stopped}, by {@value MeetingRecordings#SYSTEM}, plus an audit entry).
 *
 * <pre>
 *   last leave (channel) -> ZADD NX auto-stop {meeting} now      + a local timer at now + grace
 *   a join (channel)     -> ZREM auto-stop {meeting}
 *   timer, or the sweep every sweepInterval on every instance (ZRANGEBYSCORE -inf now-grace):
 *     still empty (no channel connection, no recent join) and the recording started before the meeting emptied
 *       -> stop; ZREM if the score is still the one read
 * </pre>
 *
 * <p>The local timer only makes the stop prompt; the sweep is what makes it certain: the set lives in Redis, beside
 * presence and the roster it is checked against, so a timer lost in an api-server restart is taken over by any
 * instance's next sweep. Several instances may look at one meeting at once: the stop is one conditional update in
 * PostgreSQL, so exactly one of them stops the recording and writes its event and audit entry.
 *
 * <p>Thread-safe: the state is in Redis; the executor is the only field that changes (start/stop).
 */
public final class RecordingAutoStop implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingAutoStop.class);
    /** Meetings one sweep looks at; the rest wait for the next sweep. */
    static final int SWEEP_BATCH = 100;
    /** Removes ARGV[1] only if its score is still ARGV[2] (the meeting did not empty again meanwhile). */
    private static final String REMOVE_IF_SCORE = """
            local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if score and tonumber(score) == tonumber(ARGV[2]) then
              return redis.call('ZREM', KEYS[1], ARGV[1])
            end
            return 0
            """;

    private final MeetingRecordings recordings;
    private final MeetingPresence presence;
    private final RedissonManager redis;
    private final Duration grace;
    private final Duration sweepInterval;
    private final Clock clock;
    private ScheduledExecutorService executor;

    public RecordingAutoStop(MeetingRecordings recordings, MeetingPresence presence, RedissonManager redis,
                             Duration grace, Duration sweepInterval, Clock clock) {
        this.recordings = Objects.requireNonNull(recordings);
        this.presence = Objects.requireNonNull(presence);
        this.redis = Objects.requireNonNull(redis);
        this.grace = Objects.requireNonNull(grace);
        this.sweepInterval = Objects.requireNonNull(sweepInterval);
        this.clock = Objects.requireNonNull(clock);
        if (grace.isNegative() || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("grace must not be negative and sweepInterval must be positive");
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "recording-auto-stop");
            thread.setDaemon(true);
            return thread;
        });
        long period = sweepInterval.toMillis();
        // The first sweep comes soon: after a restart, meetings that emptied while no instance ran are due already.
        executor.scheduleWithFixedDelay(this::runSweep, Math.min(period, 1_000), period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
            executor = null;
        }
    }

    /**
     * Someone left the meeting channel: if that emptied a meeting being recorded, its grace starts now. Called on the
     * channel's thread; Redis failures are logged (the recording then runs on, as before this feature).
     */
    public void participantLeft(String meetingId) {
        try {
            if (recordings.runningId(meetingId).isEmpty() || !nobodyIn(meetingId)) {
                return;
            }
            // NX: the first instance to see the meeting empty sets when it emptied; a later look never extends it.
            markers().addIfAbsent(clock.millis(), meetingId);
            schedule(meetingId);
        } catch (RuntimeException e) {
            LOG.warn("Could not note that meeting {} emptied while recording: {}", meetingId, e.toString());
        }
    }

    /** Someone joined the meeting channel: the meeting is no longer empty, whatever grace ran is over. */
    public void participantJoined(String meetingId) {
        try {
            markers().remove(meetingId);
        } catch (RuntimeException e) {
            // The check before a stop looks at the roster again, so a marker left here stops nothing.
            LOG.warn("Could not clear meeting {}'s empty mark: {}", meetingId, e.toString());
        }
    }

    /**
     * Looks at every meeting whose grace is over (up to {@value #SWEEP_BATCH}); returns how many recordings it
     * stopped. Every instance runs this every {@code sweepInterval}.
     */
    public int sweep() {
        long due = clock.millis() - grace.toMillis();
        int stopped = 0;
        for (String meetingId : markers().valueRange(Double.NEGATIVE_INFINITY, true, due, true, 0, SWEEP_BATCH)) {
            try {
                if (check(meetingId)) {
                    stopped++;
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not check whether meeting {}'s recording should stop: {}", meetingId, e.toString());
            }
        }
        return stopped;
    }

    /**
     * Stops the meeting's recording if its grace is over and it is still empty; true when this call stopped it.
     * Clears the meeting's mark when there is nothing left to do (someone is connected, no recording runs, or the
     * running one started after the meeting emptied); keeps it while only a recent join counts someone in (they may
     * be connecting; when their presence expires, the next sweep stops the recording).
     */
    boolean check(String meetingId) {
        Double score = markers().getScore(meetingId);
        if (score == null) {
            return false;
        }
        long emptiedAt = score.longValue();
        if (clock.millis() < emptiedAt + grace.toMillis()) {
            return false;
        }
        if (presence.connected(meetingId) > 0) {
            clear(meetingId, emptiedAt);
            return false;
        }
        if (presence.count(meetingId) > 0) {
            return false;
        }
        Optional<Recording> running = recordings.active(meetingId);
        if (running.isEmpty() || running.get().startedAt().toEpochMilli() > emptiedAt) {
            clear(meetingId, emptiedAt);
            return false;
        }
        boolean stopped = recordings.stopAutomatically(meetingId, Instant.ofEpochMilli(emptiedAt), grace)
                .isPresent();
        if (stopped) {
            LOG.info("Stopped recording {} of meeting {}: nobody in it since {}", running.get().id(), meetingId,
                    Instant.ofEpochMilli(emptiedAt));
        }
        clear(meetingId, emptiedAt);
        return stopped;
    }

    private boolean nobodyIn(String meetingId) {
        return presence.connected(meetingId) == 0 && presence.count(meetingId) == 0;
    }

    private void schedule(String meetingId) {
        ScheduledExecutorService current;
        synchronized (this) {
            current = executor;
        }
        if (current == null) {
            return; // not started (or stopping): the sweep of whichever instance runs will see the mark
        }
        try {
            current.schedule(() -> {
                try {
                    check(meetingId);
                } catch (RuntimeException e) {
                    LOG.warn("Could not check whether meeting {}'s recording should stop: {}", meetingId,
                            e.toString());
                }
            }, grace.toMillis() + 50, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the mark is in Redis and another instance's (or the next run's) sweep takes it.
        }
    }

    private void runSweep() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // Redis or PostgreSQL down: the next run tries again; the schedule must not end.
            LOG.warn("Recording auto-stop sweep failed: {}", e.toString());
        }
    }

    private void clear(String meetingId, long emptiedAt) {
        redis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, REMOVE_IF_SCORE,
                RScript.ReturnType.LONG, List.of(RedisKeys.recordingAutoStops()), meetingId,
                Long.toString(emptiedAt));
    }

    private RScoredSortedSet<String> markers() {
        return redis.client().getScoredSortedSet(RedisKeys.recordingAutoStops(), StringCodec.INSTANCE);
    }
}
