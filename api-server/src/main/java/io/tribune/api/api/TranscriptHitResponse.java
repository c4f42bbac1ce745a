package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.Transcripts;
import java.time.Instant;
import java.util.List;

/**
 * One transcript search hit: where it was said ({@code recording_id} and {@code offset_ms} into it when a recording
 * the caller may play covers it, else the offset from the meeting's first phrase), who said it, and the snippet as
 * {@code parts} ({@code match}: words that matched), plain text only so a client never inserts HTML. Immutable.
 */
public record TranscriptHitResponse(
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("meeting_title") String meetingTitle,
        @JsonProperty("recording_id") String recordingId,
        @JsonProperty("segment_id") String segmentId,
        @JsonProperty("offset_ms") long offsetMs,
        @JsonProperty("name") String name,
        @JsonProperty("start") Instant start,
        @JsonProperty("parts") List<Part> parts) {

    /** A piece of the snippet. */
    public record Part(@JsonProperty("text") String text, @JsonProperty("match") boolean match) {
    }

    public static TranscriptHitResponse of(Transcripts.Hit hit) {
        return new TranscriptHitResponse(hit.meetingId(), hit.meetingTitle(), hit.recordingId(),
                Long.toString(hit.segmentId()), hit.offsetMillis(), hit.name(), hit.start(),
                hit.parts().stream().map(p -> new Part(p.text(), p.match())).toList());
    }
}
