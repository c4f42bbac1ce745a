package io.tribune.hls.live;

import io.tribune.common.media.IngestProtocolException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live events this packager holds in memory. One ingest connection at a time feeds an event; a later one for
 * the same event continues it after a discontinuity. Ended events stay in memory for {@code endedRetention}, then
 * are served from object storage only. Thread-safe.
 */
public final class EventRegistry {

    private final Map<String, LiveEvent> events = new ConcurrentHashMap<>();
    private final Map<String, Instant> endedAt = new ConcurrentHashMap<>();
    private final Map<String, Object> fed = new ConcurrentHashMap<>();
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
     * The event a new connection feeds, created at its first connection.
     *
     * @param connection identifies the connection; {@link #detach} with the same object
     * @throws IngestProtocolException if another connection feeds it now, or it has ended
     */
    public LiveEvent attach(String eventId, Object connection) throws IngestProtocolException {
        evictExpired();
        if (fed.putIfAbsent(eventId, connection) != null) {
            throw new IngestProtocolException("event " + eventId + " is already being fed by another connection");
        }
        LiveEvent event = events.computeIfAbsent(eventId, id -> new LiveEvent(id, newRunId(), settings, clock,
                listeners.apply(id), subtitlesLanguage));
        if (event.ended()) {
            fed.remove(eventId, connection);
            throw new IngestProtocolException("event " + eventId + " has ended");
        }
        return event;
    }

    public void detach(LiveEvent event, Object connection) {
        if (event.ended()) {
            endedAt.putIfAbsent(event.eventId(), clock.instant());
        }
        fed.remove(event.eventId(), connection);
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
