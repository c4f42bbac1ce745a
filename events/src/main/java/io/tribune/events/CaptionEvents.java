package io.tribune.events;

import java.time.Instant;

/** Events on {@link Topics#CAPTIONS}, keyed by meeting id. */
public final class CaptionEvents {

    /** The most text a caption shown live may carry; the live consumers dead-letter longer ones. */
    public static final int MAX_LIVE_TEXT_CHARS = 2000;

    private CaptionEvents() {
    }

    /**
     * Why a caption cannot be shown live (the meeting channel, a town hall's subtitles), or null when it can: it
     * needs a meeting and a phrase id, a text of at most {@value #MAX_LIVE_TEXT_CHARS} characters, and a start and
     * an end, in that order. The live consumers count such a caption as malformed and dead-letter it.
     */
    public static String liveProblem(Caption caption) {
        if (caption.meetingId() == null || caption.meetingId().isBlank()) {
            return "has no meeting id";
        }
        if (caption.phraseId() == null || caption.phraseId().isBlank()) {
            return "has no phrase id";
        }
        if (caption.text() == null) {
            return "has no text";
        }
        if (caption.text().length() > MAX_LIVE_TEXT_CHARS) {
            return "has " + caption.text().length() + " characters of text, more than " + MAX_LIVE_TEXT_CHARS;
        }
        if (caption.start() == null || caption.end() == null) {
            return "has no start or end time";
        }
        if (caption.end().isBefore(caption.start())) {
            return "ends before it starts";
        }
        return null;
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
