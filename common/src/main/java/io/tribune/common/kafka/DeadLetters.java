package io.tribune.common.kafka;

/**
 * Headers of a record in a dead-letter topic ({@code tribune.dlq.<consumer>}). The record keeps the original key,
 * value and headers; these say why and where from. Values are UTF-8 text.
 */
public final class DeadLetters {

    /** Why the consumer gave up on the record, e.g. {@code undecodable: not JSON: ...}. */
    public static final String REASON = "dlq.reason";
    /** The consumer group that gave up. */
    public static final String CONSUMER = "dlq.consumer";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    /** The event id when the record decoded, else absent. */
    public static final String EVENT_ID = "dlq.event.id";
    /** When it was dead-lettered, ISO-8601. */
    public static final String TIME = "dlq.time";

    /** Reasons longer than this are cut (a header is not a log). */
    static final int MAX_REASON_CHARS = 2000;

    private DeadLetters() {
    }
}
