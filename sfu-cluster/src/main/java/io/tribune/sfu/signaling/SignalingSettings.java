package io.tribune.sfu.signaling;

/**
 * Limits of one signaling connection. Immutable.
 *
 * @param joinTimeoutMillis how long a connection may stay open without a successful join
 * @param messagesPerSecond sustained client messages per second
 * @param burst client messages accepted at once
 * @param floodCloseAfter messages refused by the rate limit after which the connection is closed
 */
public record SignalingSettings(long joinTimeoutMillis, double messagesPerSecond, int burst, int floodCloseAfter) {

    public static final SignalingSettings DEFAULTS = new SignalingSettings(10_000, 20, 50, 500);
}
