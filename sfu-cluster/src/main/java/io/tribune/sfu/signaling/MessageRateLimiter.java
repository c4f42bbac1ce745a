package io.tribune.sfu.signaling;

import java.time.Clock;

/**
 * A token bucket per connection: {@code burst} messages at once, refilled at {@code perSecond}. Checked before a
 * message is parsed, so a flood costs the server little more than reading the frames.
 *
 * <p>Not thread-safe: Jetty delivers one connection's messages one at a time.
 */
final class MessageRateLimiter {

    private final Clock clock;
    private final double perMilli;
    private final double burst;
    private double tokens;
    private long lastMillis;

    MessageRateLimiter(Clock clock, double perSecond, int burst) {
        this.clock = clock;
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = clock.millis();
    }

    boolean tryAcquire() {
        long now = clock.millis();
        tokens = Math.min(burst, tokens + (now - lastMillis) * perMilli);
        lastMillis = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
