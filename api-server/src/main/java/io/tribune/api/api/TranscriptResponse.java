package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.TranscriptAnalysis;
import io.tribune.api.core.TranscriptSegment;
import io.tribune.api.core.Transcripts;
import java.time.Instant;
import java.util.List;

/**
 * A meeting's or a recording's transcript: its segments in spoken order ({@code offset_ms} / {@code end_offset_ms}
 * from the recording's start, or from the meeting's first phrase), its chapters and its extractive summary
 * ({@code null} without segments). Immutable.
 */
public record TranscriptResponse(
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("recording_id") String recordingId,
        @JsonProperty("segments") List<Segment> segments,
        @JsonProperty("chapters") List<TranscriptAnalysis.Chapter> chapters,
        @JsonProperty("summary") TranscriptAnalysis.Summary summary) {

    /** One phrase. {@code name} is the speaker's display name (may be null). */
    public record Segment(
            @JsonProperty("segment_id") String segmentId,
            @JsonProperty("phrase_id") String phraseId,
            @JsonProperty("participant_id") String participantId,
            @JsonProperty("name") String name,
            @JsonProperty("text") String text,
            @JsonProperty("start") Instant start,
            @JsonProperty("end") Instant end,
            @JsonProperty("offset_ms") long offsetMs,
            @JsonProperty("end_offset_ms") long endOffsetMs) {
    }

    public static TranscriptResponse of(Transcripts.Transcript transcript) {
        Instant origin = transcript.origin();
        List<Segment> segments = transcript.segments().stream().map((TranscriptSegment s) -> new Segment(
                Long.toString(s.id()), s.phraseId(), s.participantId(), s.name(), s.text(), s.start(), s.end(),
                s.offsetMillis(origin), s.endOffsetMillis(origin))).toList();
        return new TranscriptResponse(transcript.meetingId(), transcript.recordingId(), segments,
                transcript.chapters(), transcript.summary());
    }
}
