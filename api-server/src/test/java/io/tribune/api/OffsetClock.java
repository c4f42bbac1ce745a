package io.tribune.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset tests can move, for apps whose expiry logic should be tested without sleeping
 * (PostgreSQL, Redis and Kafka keep the real time). Thread-safe.
 */
public final class OffsetClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves the clock forward (or back, for a negative amount). */
    public void advance(Duration amount) {
        offset = offset.plus(amount);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("OffsetClock is UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
