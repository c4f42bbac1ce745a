package io.tribune.events;

import java.time.Instant;

/** Events on {@link Topics#CAPTIONS}, keyed by meeting id. */
public final class CaptionEvents {

    private CaptionEvents() {
    }

    /**
     * Recognised speech of one audio track (transcription-worker). {@code isFinal} false marks a partial that a later
     * caption with the same {@code phraseId} replaces (partials are rate-limited and may be skipped; the final of
     * every phrase is always published). {@code startMillis}/{@code endMillis} are the phrase's offsets from the
     * track's first packet; {@code start}/{@code end} the same as wall-clock times (the SFU's arrival clock).
     * {@code participantId} and {@code displayName} come from the track's started event and may be null.
     */
    @EventType(value = "caption", topic = Topics.CAPTIONS)
    public record Caption(String meetingId, String participantId, String displayName, String trackId,
                          String phraseId, String text, boolean isFinal, long startMillis, long endMillis,
                          Instant start, Instant end) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /**
     * A meeting's transcript is complete; {@code objectKey} names the stored transcript document (null when the
     * transcript is only the final captions before it). For an on-demand transcription
     * ({@link TranscriptionEvents.Requested}) {@code recordingId} names the recording and {@code segments} counts
     * the finals published for it.
     */
    @EventType(value = "transcript.ready", topic = Topics.CAPTIONS)
    public record TranscriptReady(String meetingId, String recordingId, String objectKey, int segments,
                                  String language) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /**
     * An on-demand transcription ({@link TranscriptionEvents.Requested}) of a recording failed: a file was missing
     * or not audio, or the model failed. {@code reason} is for people (the recording page shows it); captions
     * published before the failure stay stored.
     */
    @EventType(value = "transcript.failed", topic = Topics.CAPTIONS)
    public record TranscriptFailed(String meetingId, String recordingId, String reason) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }
}
