package io.tribune.events;

import java.util.List;

/**
 * Kafka topic names. Every producer and consumer takes its topic from here, never from a string literal.
 *
 * <p>Partitioning keys: {@code tribune.users} by user id, {@code tribune.meetings}, {@code tribune.participants},
 * {@code tribune.recordings}, {@code tribune.captions} and {@code tribune.transcriptions} by meeting id, the media
 * topics by {@code meetingId:trackId}, {@code tribune.notifications} by recipient.
 */
public final class Topics {

    /** Account lifecycle: registered, updated, deleted, role changed, verification and reset links (link ids only). */
    public static final String USERS = "tribune.users";
    /** Meeting lifecycle: scheduled, updated, cancelled, started, ended. */
    public static final String MEETINGS = "tribune.meetings";
    /** Who joined and left which meeting, and when. */
    public static final String PARTICIPANTS = "tribune.participants";
    /** Recording control and results: started, stopped, ready, failed. */
    public static final String RECORDINGS = "tribune.recordings";
    /** Tapped audio RTP of recorded or captioned rooms, plus track metadata. */
    public static final String MEDIA_AUDIO = "tribune.media.audio";
    /** Tapped video RTP of recorded rooms, plus track metadata. */
    public static final String MEDIA_VIDEO = "tribune.media.video";
    /** Live captions (partial and final) and finished transcripts. */
    public static final String CAPTIONS = "tribune.captions";
    /** Requests to transcribe a stored recording's audio files (api-server to transcription-worker). */
    public static final String TRANSCRIPTIONS = "tribune.transcriptions";
    /** Requests to notify a person by email or web push. */
    public static final String NOTIFICATIONS = "tribune.notifications";

    private static final String DLQ_PREFIX = "tribune.dlq.";

    private Topics() {
    }

    /** All regular topics, in a fixed order. */
    public static List<String> all() {
        return List.of(USERS, MEETINGS, PARTICIPANTS, RECORDINGS, MEDIA_AUDIO, MEDIA_VIDEO, CAPTIONS, NOTIFICATIONS,
                TRANSCRIPTIONS);
    }

    /**
     * The dead-letter topic of one consumer group: records it could not process go there with the reason.
     *
     * @param consumer the consumer's name, e.g. {@code recording-archive}
     */
    public static String deadLetter(String consumer) {
        if (consumer == null || !consumer.matches("[a-z0-9][a-z0-9.-]{0,100}")) {
            throw new IllegalArgumentException("consumer name must be lower-case letters, digits, '.' or '-': " + consumer);
        }
        return DLQ_PREFIX + consumer;
    }
}
