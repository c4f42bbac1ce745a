package io.tribune.events;

import java.time.Instant;

/** Events on {@link Topics#CAPTIONS}, keyed by meeting id. */
public final class CaptionEvents {

    private CaptionEvents() {
    }

    /**
     * Recognised speech. {@code isFinal} false marks a partial that a later caption with the same
     * {@code phraseId} replaces; times are the speech's wall-clock start and end.
     */
    @EventType(value = "caption", topic = Topics.CAPTIONS)
    public record Caption(String meetingId, String participantId, String trackId, String phraseId, String text,
                          boolean isFinal, Instant start, Instant end) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /** A meeting's transcript is complete; {@code objectKey} names the stored transcript document. */
    @EventType(value = "transcript.ready", topic = Topics.CAPTIONS)
    public record TranscriptReady(String meetingId, String recordingId, String objectKey, int segments,
                                  String language) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }
}
