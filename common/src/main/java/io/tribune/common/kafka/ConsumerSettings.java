package io.tribune.common.kafka;

import io.tribune.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link EventConsumer} reads: the brokers, its group (also its name in metrics and in its dead-letter
 * topic), its topics, and retry limits. Immutable.
 *
 * @param bootstrapServers Kafka {@code host:port} pairs, comma separated
 * @param group            the consumer group, e.g. {@code notification-worker}; dead letters go to
 *                         {@code tribune.dlq.<group>}
 * @param topics           the topics to read
 * @param maxPollRecords   records per poll ({@code max.poll.records}); the handler sees them one at a time
 * @param maxAttempts      handler attempts per record before it is dead-lettered (a failure other than
 *                         {@link PoisonEventException}); at least 1
 * @param retryBackoff     the wait after the first failed attempt, doubled after each further one
 * @param maxRetryBackoff  the longest wait between attempts; all waits of one record must stay well under
 *                         {@code max.poll.interval.ms} (5 minutes)
 * @param pollTimeout      the longest a poll blocks; bounds how long {@link EventConsumer#stop()} waits for it
 * @param handlerThreads   how many partitions of one poll are handled at once (each partition in order, on one
 *                         thread); 1 handles everything on the poll thread
 * @param splitByKey       whether the records of one partition are split by key, each key's in order and the keys
 *                         on up to {@code handlerThreads} threads at once (for handlers that wait on I/O, such as
 *                         a mailer: more work in flight than partitions); keyless records stay in order among
 *                         themselves. Without it, one partition's records are handled in order on one thread.
 */
public record ConsumerSettings(String bootstrapServers, String group, List<String> topics, int maxPollRecords,
                               int maxAttempts, Duration retryBackoff, Duration maxRetryBackoff,
                               Duration pollTimeout, int handlerThreads, boolean splitByKey) {

    /** Settings that handle each partition's records in order (not split by key). */
    public ConsumerSettings(String bootstrapServers, String group, List<String> topics, int maxPollRecords,
                            int maxAttempts, Duration retryBackoff, Duration maxRetryBackoff, Duration pollTimeout,
                            int handlerThreads) {
        this(bootstrapServers, group, topics, maxPollRecords, maxAttempts, retryBackoff, maxRetryBackoff,
                pollTimeout, handlerThreads, false);
    }

    public ConsumerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Topics.deadLetter(group); // validates the name
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a consumer needs at least one topic");
        }
        if (maxPollRecords < 1 || maxAttempts < 1 || handlerThreads < 1) {
            throw new IllegalArgumentException("maxPollRecords, maxAttempts and handlerThreads must be at least 1");
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
    }

    /**
     * Defaults: 100 records per poll, 6 attempts with 1, 2, 4, 8, 16 s between them (31 s), 500 ms polls, up to 4
     * partitions handled at once.
     */
    public static ConsumerSettings of(String bootstrapServers, String group, List<String> topics) {
        return new ConsumerSettings(bootstrapServers, group, topics, 100, 6, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofMillis(500), 4);
    }

    public ConsumerSettings withRetries(int attempts, Duration backoff, Duration maxBackoff) {
        return new ConsumerSettings(bootstrapServers, group, topics, maxPollRecords, attempts, backoff, maxBackoff,
                pollTimeout, handlerThreads, splitByKey);
    }

    public ConsumerSettings withHandlerThreads(int threads) {
        return new ConsumerSettings(bootstrapServers, group, topics, maxPollRecords, maxAttempts, retryBackoff,
                maxRetryBackoff, pollTimeout, threads, splitByKey);
    }

    /** Splits each partition's records by key across {@code threads} handler threads (see {@code splitByKey}). */
    public ConsumerSettings splittingByKey(int threads) {
        return new ConsumerSettings(bootstrapServers, group, topics, maxPollRecords, maxAttempts, retryBackoff,
                maxRetryBackoff, pollTimeout, threads, true);
    }

    public String deadLetterTopic() {
        return Topics.deadLetter(group);
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    Duration backoff(int attempt) {
        long millis = retryBackoff.toMillis();
        for (int i = 1; i < attempt && millis < maxRetryBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxRetryBackoff.toMillis()));
    }
}
