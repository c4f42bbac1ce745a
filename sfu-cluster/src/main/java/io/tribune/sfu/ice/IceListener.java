package io.tribune.sfu.ice;

/**
 * What an {@link IceTransport} reports. Called on ice4j's or the scheduler's threads: implementations must be
 * thread-safe and must not block.
 */
public interface IceListener {

    /** A candidate pair was validated: we can send now, so DTLS may start (probe pitfall 4). */
    void onWritable();

    /** ICE completed: a pair was selected. */
    void onConnected();

    /** ICE failed to find a working pair. */
    void onFailed();

    /** The selected pair went without consent longer than the configured timeout (RFC 7675 §5.1). */
    void onConsentExpired();
}
