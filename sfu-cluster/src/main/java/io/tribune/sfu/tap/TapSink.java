package io.tribune.sfu.tap;

/**
 * Where tapped records go: Kafka in production ({@link KafkaTapSink}), a list in unit tests. Called from the
 * {@link TapQueue}'s one producer thread only, so implementations need not be thread-safe, but {@link #send} must
 * not hold on to the value after it returns unless it owns it.
 */
public interface TapSink extends AutoCloseable {

    /** Hands one record to the transport (asynchronously); failures are reported through {@code failed}. */
    void send(String topic, String key, byte[] value, Runnable failed);

    /** Waits until everything sent so far is acknowledged or failed, at most a few seconds. */
    void flush();

    @Override
    void close();
}
