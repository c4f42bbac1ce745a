package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.Recording;
import io.tribune.api.core.RecordingCatalogue;
import java.time.Instant;
import java.util.List;

/**
 * One recording of the catalogue. {@code status} is {@code recording}, {@code processing}, {@code ready} or
 * {@code failed}; {@code duration_ms}, {@code size_bytes}, {@code sha256} and {@code files} come once the archive
 * reported; {@code consents} (who was told of the recording and acknowledged it) only in the single-recording
 * answer. {@code shared_with_participants}: the meeting's participants may play it too; {@code can_manage}: the
 * caller may delete, hold (admins), share and transcribe it. {@code transcript_status}: {@code none},
 * {@code transcribing}, {@code ready} or {@code failed} (an on-demand transcription), with
 * {@code transcript_error} when it failed. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordingResponse(
        @JsonProperty("recording_id") String recordingId,
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("host_id") String hostId,
        @JsonProperty("started_by") String startedBy,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("stopped_by") String stoppedBy,
        @JsonProperty("stopped_at") Instant stoppedAt,
        @JsonProperty("status") String status,
        @JsonProperty("duration_ms") Long durationMs,
        @JsonProperty("size_bytes") Long sizeBytes,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("files") List<FileResponse> files,
        @JsonProperty("failure_reason") String failureReason,
        @JsonProperty("retention_until") Instant retentionUntil,
        @JsonProperty("legal_hold") boolean legalHold,
        @JsonProperty("shared_with_participants") boolean sharedWithParticipants,
        @JsonProperty("can_manage") boolean canManage,
        @JsonProperty("transcript_status") String transcriptStatus,
        @JsonProperty("transcript_error") String transcriptError,
        @JsonProperty("consents") List<ConsentResponse> consents) {

    /** One stored object: {@code kind} (e.g. {@code track}, {@code composed}, {@code thumbnails}) and its key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileResponse(
            @JsonProperty("kind") String kind,
            @JsonProperty("track_id") String trackId,
            @JsonProperty("object_key") String objectKey,
            @JsonProperty("content_type") String contentType,
            @JsonProperty("size_bytes") long sizeBytes,
            @JsonProperty("sha256") String sha256) {
    }

    /** A participant's acknowledgement; {@code user_id} is null for guests. */
    public record ConsentResponse(
            @JsonProperty("participant_id") String participantId,
            @JsonProperty("user_id") String userId,
            @JsonProperty("guest") boolean guest,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("acknowledged_at") Instant acknowledgedAt) {
    }

    public static RecordingResponse of(RecordingCatalogue.View view, List<RecordingCatalogue.Consent> consents) {
        Recording r = view.recording();
        return new RecordingResponse(r.id(), r.meetingId(), r.hostId(), r.startedBy(), r.startedAt(), r.stoppedBy(),
                r.stoppedAt(), r.status().wireName(), r.durationMillis(), r.sizeBytes(), r.sha256(),
                r.files().stream().map(f -> new FileResponse(f.kind(), f.trackId(), f.objectKey(), f.contentType(),
                        f.sizeBytes(), f.sha256())).toList(),
                r.failureReason(), r.retentionUntil(), r.legalHold(), r.sharedWithParticipants(), view.canManage(),
                view.transcriptStatus(), view.transcriptError(),
                consents == null ? null : consents.stream().map(c -> new ConsentResponse(c.participantId(),
                        c.userId(), c.guest(), c.displayName(), c.acknowledgedAt())).toList());
    }
}
