package io.tribune.api.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One final caption as the transcript keeps it. Immutable.
 *
 * @param id            the row's id (the API's {@code segment_id})
 * @param phraseId      transcription-worker's phrase id, unique
 * @param participantId who spoke (may be null: the worker did not know)
 * @param name          the speaker's display name (may be null)
 * @param start         wall-clock start of the phrase
 * @param end           wall-clock end of the phrase, not before {@code start}
 */
public record TranscriptSegment(long id, String meetingId, String phraseId, String participantId, String name,
                                String text, Instant start, Instant end) {

    public TranscriptSegment {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** Milliseconds from {@code origin} to the start, never negative (a phrase begun before a recording: 0). */
    public long offsetMillis(Instant origin) {
        return Math.max(0, Duration.between(origin, start).toMillis());
    }

    /** Milliseconds from {@code origin} to the end, never before {@link #offsetMillis}. */
    public long endOffsetMillis(Instant origin) {
        return Math.max(offsetMillis(origin), Duration.between(origin, end).toMillis());
    }

    /** The speaker's name, or "Speaker" when the worker knew none. */
    public String speaker() {
        return name == null || name.isBlank() ? "Speaker" : name;
    }
}
