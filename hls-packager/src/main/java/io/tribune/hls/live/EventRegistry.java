package io.tribune.hls.live;

import io.tribune.common.media.IngestProtocolException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live events this packager holds in memory. One ingest connection at a time feeds an event; a later one for
 * the same event takes over (the earlier one is closed) and continues it after a discontinuity. Ended events stay in memory for {@code endedRetention}, then
 * are served from object storage only. Thread-safe.
 */
public final class EventRegistry {

    private final Map<String, LiveEvent> events = new ConcurrentHashMap<>();
    private final Map<String, Instant> endedAt = new ConcurrentHashMap<>();
    /** Event id to the connection feeding it; guarded by itself (wait/notify on takeover). */
    private final Map<String, Closeable> fed = new HashMap<>();
    private final LiveSettings settings;
    private final Clock clock;
    private final Function<String, RenditionListener> listeners;
    private final String subtitlesLanguage;
    private final Duration endedRetention;

    /**
     * @param listeners gives each event's renditions a listener (object storage), by event id
     */
    public EventRegistry(LiveSettings settings, Clock clock, Function<String, RenditionListener> listeners,
                         String subtitlesLanguage, Duration endedRetention) {
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.listeners = Objects.requireNonNull(listeners);
        this.subtitlesLanguage = subtitlesLanguage;
        this.endedRetention = endedRetention;
    }

    /**
     * The event a new connection feeds, created at its first connection. If another connection feeds it now, that
     * one is closed and this call waits (up to {@code takeover}) until its thread has let go: a transcoder that
     * restarts must not wait for its dead connection's idle timeout, and two threads must never feed one event.
     *
     * @param connection closed if a later connection takes over; {@link #detach} with the same object
     * @throws IngestProtocolException if the event has ended, or the old connection did not let go in time
     */
    public LiveEvent attach(String eventId, Closeable connection, Duration takeover)
            throws IngestProtocolException, InterruptedException {
        evictExpired();
        synchronized (fed) {
            Closeable current = fed.get(eventId);
            if (current != null) {
                closeQuietly(current);
                long deadline = System.nanoTime() + takeover.toNanos();
                while (fed.containsKey(eventId)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IngestProtocolException("event " + eventId + " is still fed by another connection");
                    }
                    fed.wait(Math.max(1, left / 1_000_000));
                }
            }
            LiveEvent event = events.computeIfAbsent(eventId, id -> new LiveEvent(id, newRunId(), settings, clock,
                    listeners.apply(id), subtitlesLanguage));
            if (event.ended()) {
                throw new IngestProtocolException("event " + eventId + " has ended");
            }
            fed.put(eventId, connection);
            return event;
        }
    }

    public void detach(LiveEvent event, Closeable connection) {
        if (event.ended()) {
            endedAt.putIfAbsent(event.eventId(), clock.instant());
        }
        synchronized (fed) {
            fed.remove(event.eventId(), connection);
            fed.notifyAll();
        }
    }

    private static void closeQuietly(Closeable connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // It is going away either way.
        }
    }

    /** The live (or recently ended) event, or null: then only object storage may have it. */
    public LiveEvent get(String eventId) {
        if (!endedAt.isEmpty()) {
            evictExpired();
        }
        return events.get(eventId);
    }

    public int size() {
        return events.size();
    }

    private void evictExpired() {
        Instant now = clock.instant();
        endedAt.forEach((id, at) -> {
            if (at.plus(endedRetention).isBefore(now)) {
                events.remove(id);
                endedAt.remove(id);
            }
        });
    }

    /** Unique per stream start (base-36 milliseconds), so that immutable URIs never repeat across restarts. */
    private String newRunId() {
        return "r" + Long.toString(clock.millis(), 36);
    }
}
