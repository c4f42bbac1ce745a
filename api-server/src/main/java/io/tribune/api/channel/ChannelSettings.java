package io.tribune.api.channel;

/**
 * Limits of the meeting channel: how long a new connection may take to authenticate, the per-connection message
 * rate, and how many refused messages (a burst; half the message rate refills it) close a flooding connection.
 * Immutable.
 */
record ChannelSettings(long authTimeoutMillis, double messagesPerSecond, int burst, int floodCloseAfter) {

    static ChannelSettings defaults() {
        return new ChannelSettings(10_000, 10, 30, 100);
    }
}
