package io.tribune.api.core;

import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.CaptionEvents;
import io.tribune.events.TranscriptionEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Transcribing a stored recording on demand (issue 9): a manager of the recording (admins, the meeting's host and
 * co-hosts, whoever started it) asks, the recording's {@code transcript_status} becomes {@code transcribing} and
 * {@code transcription.requested} goes to transcription-worker through the outbox in the same transaction; the
 * worker's final captions are stored as the meeting's transcript like live ones ({@code TranscriptConsumer}), and
 * its {@code transcript.ready} / {@code transcript.failed} for the recording end the status in {@code ready} /
 * {@code failed}.
 *
 * <p>The catalogue keeps what {@code recording.ready} reported of each file (kind, track, key, content type, and
 * when the track's first frame reached the SFU), not who spoke on it. So each audio file's {@code startedAt} is its
 * track's own start (a participant who joined late gets phrases at the times they spoke), or the recording's start
 * for files reported without one (archives from before track start times); its speaker is the one live captions
 * stored for the same track, if any, otherwise the worker's phrases have no name. Thread-safe.
 */
public final class RecordingTranscriptions {

    public static final String NONE = "none";
    public static final String TRANSCRIBING = "transcribing";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    /**
     * A request unanswered for this long is taken as lost (no worker ran, or it died for good): asking again is
     * allowed instead of 409 {@code already_transcribing}. Far longer than the longest recording takes.
     */
    static final Duration STALE_REQUEST = Duration.ofHours(12);

    private final Jdbi jdbi;
    private final RecordingCatalogue catalogue;
    private final AuditLog auditLog;
    private final OutboxWriter outbox;
    private final Clock clock;

    public RecordingTranscriptions(Jdbi jdbi, RecordingCatalogue catalogue, AuditLog auditLog, OutboxWriter outbox,
                                   Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.catalogue = Objects.requireNonNull(catalogue);
        this.auditLog = Objects.requireNonNull(auditLog);
        this.outbox = Objects.requireNonNull(outbox);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Asks transcription-worker for the recording's transcript. Phrases of an earlier on-demand transcription of
     * the same recording are removed first (its phrase ids start with {@code <recordingId>-}), so transcribing
     * again replaces rather than doubles them.
     *
     * @return the recording as the caller now sees it ({@code transcript_status} {@code transcribing})
     * @throws ApiException 404 when the caller may not see the recording, 403 when they may play but not manage
     *                      it, 409 {@code already_transcribing} (asked less than {@link #STALE_REQUEST} ago),
     *                      {@code recording_not_ready} (not stored yet, or
     *                      failed), {@code no_audio} (no audio file), {@code meeting_gone} (the transcript would
     *                      have no meeting to belong to)
     */
    public RecordingCatalogue.View request(Caller caller, String recordingId) {
        catalogue.managed(caller, recordingId, "transcribe a recording");
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            Recording recording = RecordingCatalogue.lock(handle, recordingId)
                    .filter(r -> r.status() != Recording.Status.DELETED)
                    .orElseThrow(() -> new ApiException(404, "recording_not_found", "No recording " + recordingId
                            + " is visible to you.", Map.of("recording_id", recordingId)));
            boolean pending = handle.createQuery("SELECT transcript_status = 'transcribing' "
                            + "AND transcript_requested_at > :stale FROM recordings WHERE id = :id")
                    .bind("id", recordingId).bind("stale", now.minus(STALE_REQUEST)).mapTo(Boolean.class).one();
            if (pending) {
                throw conflict("already_transcribing", "Recording " + recordingId
                        + " is being transcribed; its transcript appears when the worker is done.", recordingId);
            }
            if (recording.status() != Recording.Status.READY) {
                throw conflict("recording_not_ready", "Recording " + recordingId + " is "
                        + recording.status().wireName() + "; it can be transcribed once its files are stored.",
                        recordingId);
            }
            List<Recording.StoredFile> audio = recording.files().stream().filter(RecordingTranscriptions::isAudio)
                    .toList();
            if (audio.isEmpty()) {
                throw conflict("no_audio", "Recording " + recordingId + " has no stored audio track to transcribe.",
                        recordingId);
            }
            boolean meetingExists = handle.createQuery("SELECT EXISTS (SELECT 1 FROM meetings WHERE id = :id)")
                    .bind("id", recording.meetingId()).mapTo(Boolean.class).one();
            if (!meetingExists) {
                throw conflict("meeting_gone", "The meeting of recording " + recordingId
                        + " was deleted, so a transcript has nothing to belong to.", recordingId);
            }
            Map<String, String[]> speakers = speakers(handle, recording.meetingId());
            List<TranscriptionEvents.AudioFile> files = new ArrayList<>();
            for (Recording.StoredFile file : audio) {
                String[] speaker = speakers.getOrDefault(file.trackId(), new String[2]);
                files.add(new TranscriptionEvents.AudioFile(file.objectKey(), file.trackId(), speaker[0], speaker[1],
                        file.startedAt() == null ? recording.startedAt() : file.startedAt()));
            }
            String prefix = recordingId + "-";
            handle.createUpdate("DELETE FROM transcript_segments WHERE meeting_id = :meeting "
                            + "AND left(phrase_id, :length) = :prefix")
                    .bind("meeting", recording.meetingId()).bind("length", prefix.length()).bind("prefix", prefix)
                    .execute();
            handle.createUpdate("UPDATE recordings SET transcript_status = 'transcribing', transcript_error = NULL, "
                            + "transcript_requested_by = :by, transcript_requested_at = :now WHERE id = :id")
                    .bind("id", recordingId).bind("by", caller.userId()).bind("now", now).execute();
            outbox.append(handle, new TranscriptionEvents.Requested(recording.meetingId(), recordingId,
                    caller.userId(), files, now));
            auditLog.record(handle, caller.userId(), "recording.transcription_requested", "recording", recordingId,
                    Map.of("meeting_id", recording.meetingId(), "files", files.size()));
            return RecordingCatalogue.get(handle, caller, recordingId);
        });
    }

    /** The worker finished: {@code ready} for the recording it names. @return false when it names none we know */
    public boolean applyReady(CaptionEvents.TranscriptReady ready) {
        if (ready.recordingId() == null) {
            return false; // a meeting's live transcript, not an on-demand one
        }
        return setStatus(ready.meetingId(), ready.recordingId(), READY, null);
    }

    /** The worker gave up: {@code failed} with its reason. @return false when it names no recording we know */
    public boolean applyFailed(CaptionEvents.TranscriptFailed failed) {
        if (failed.recordingId() == null) {
            return false;
        }
        String reason = failed.reason() == null ? "transcription failed" : failed.reason();
        return setStatus(failed.meetingId(), failed.recordingId(), FAILED,
                reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    }

    private boolean setStatus(String meetingId, String recordingId, String status, String error) {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE recordings SET transcript_status = :status, "
                        + "transcript_error = :error WHERE id = :id AND meeting_id = :meeting")
                .bind("status", status).bind("error", error).bind("id", recordingId).bind("meeting", meetingId)
                .execute() > 0);
    }

    /** A track file holding audio (recording-archive's Opus tracks are {@code audio/webm}). */
    static boolean isAudio(Recording.StoredFile file) {
        return "track".equals(file.kind()) && file.objectKey() != null && file.contentType() != null
                && file.contentType().toLowerCase(Locale.ROOT).startsWith("audio/");
    }

    /** Track id -> {participant id, speaker name} from the meeting's stored live captions. */
    private static Map<String, String[]> speakers(Handle handle, String meetingId) {
        Map<String, String[]> speakers = new HashMap<>();
        handle.createQuery("SELECT DISTINCT ON (track_id) track_id, participant_id, speaker_name "
                        + "FROM transcript_segments WHERE meeting_id = :meeting AND track_id IS NOT NULL "
                        + "ORDER BY track_id, speaker_name NULLS LAST")
                .bind("meeting", meetingId)
                .map((rs, ctx) -> new String[] {rs.getString("track_id"), rs.getString("participant_id"),
                        rs.getString("speaker_name")})
                .forEach(row -> speakers.put(row[0], new String[] {row[1], row[2]}));
        return speakers;
    }

    private static ApiException conflict(String code, String message, String recordingId) {
        return new ApiException(409, code, message, Map.of("recording_id", recordingId));
    }
}
