package io.tribune.api.channel;

/**
 * A token bucket: {@code perSecond} messages a second on average, {@code burst} at once. Not thread-safe: one per
 * connection, used on the connection's thread.
 */
final class ChannelRateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;
    private boolean started;

    ChannelRateLimiter(double perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    boolean tryAcquire(long nowNanos) {
        if (started) {
            tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        }
        started = true;
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
