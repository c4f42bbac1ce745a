package io.tribune.platform;

/**
 * One embedded part of the platform (PostgreSQL, Kafka, Redis or S3), started in this JVM or as a child process of it,
 * bound to 127.0.0.1 and keeping its data under the platform's data directory.
 *
 * <p>The life cycle is the same for every part: {@link #start()} binds {@link #port()} and returns once clients can
 * connect; {@link #stop()} shuts down gracefully so that a later {@link #start()} on the same data directory finds
 * every committed write again, on the same port.
 *
 * <p>Implementations are thread-safe: {@code start()} and {@code stop()} are serialised per component and may be
 * called from any thread.
 */
public interface Component extends AutoCloseable {

    /** The part's short name: {@code "postgres"}, {@code "kafka"}, {@code "redis"} or {@code "s3"}. */
    String name();

    /**
     * Starts the part and returns once it accepts clients. Does nothing if it is already running.
     *
     * @throws Exception with a message that names the part and the cause, e.g. a port already in use
     */
    void start() throws Exception;

    /** Stops the part gracefully and waits until it has released its port. Does nothing if it is not running. */
    void stop();

    boolean isRunning();

    /**
     * The TCP port on 127.0.0.1. A part asked for port 0 picks a free port at its first start and keeps it for every
     * restart; before that first start this returns 0.
     */
    int port();

    /** The running software's name and version, e.g. {@code "PostgreSQL 14.22"} or {@code "Kafka 4.3.1"}. */
    String version();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}
