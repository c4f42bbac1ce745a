package io.tribune.api.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.api.PageResponse;
import io.tribune.api.errors.ApiException;
import io.tribune.events.RecordingEvents;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * The recordings catalogue the API serves: listing with filters (hosts see their meetings' recordings, admins
 * all), one recording with its acknowledgements, deletion (refused under legal hold) and legal hold, and the
 * archive's results ({@code recording.ready} / {@code recording.failed}) applied to the rows.
 *
 * <p>Deleting marks the row {@code deleted} (with who and when) and hides it; removing the stored objects is
 * recording-archive's retention sweep's business, which finds them by that status. Thread-safe.
 */
public final class RecordingCatalogue {

    static final String COLUMNS = "id, meeting_id, host_id, started_by, started_at, stopped_by, stopped_at, status, "
            + "duration_ms, size_bytes, sha256, CAST(files AS text) AS files, failure_reason, retention_until, "
            + "legal_hold, updated_at";

    private static final ObjectMapper FILES_JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> FILE_LIST = new TypeReference<>() {
    };

    static final RowMapper<Recording> MAPPER = (rs, ctx) -> new Recording(rs.getString("id"),
            rs.getString("meeting_id"), rs.getString("host_id"), rs.getString("started_by"),
            instant(rs.getTimestamp("started_at")), rs.getString("stopped_by"), instant(rs.getTimestamp("stopped_at")),
            Recording.Status.fromWire(rs.getString("status")), (Long) rs.getObject("duration_ms"),
            (Long) rs.getObject("size_bytes"), rs.getString("sha256"), files(rs.getString("files")),
            rs.getString("failure_reason"), instant(rs.getTimestamp("retention_until")), rs.getBoolean("legal_hold"),
            instant(rs.getTimestamp("updated_at")));

    /** Filters of a list; null fields do not filter. */
    public record Filter(String meetingId, String hostId, Instant from, Instant to, Recording.Status status) {
    }

    /** One acknowledgement that a participant was told about the recording. */
    public record Consent(String participantId, String userId, boolean guest, String displayName,
                          Instant acknowledgedAt) {
    }

    private final Jdbi jdbi;
    private final AuditLog auditLog;
    private final Clock clock;

    public RecordingCatalogue(Jdbi jdbi, AuditLog auditLog, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.auditLog = Objects.requireNonNull(auditLog);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * One page, newest first. Admins see every recording; others the recordings of meetings they host. Deleted
     * recordings are listed only when asked for by status, and only to admins.
     */
    public PageResponse<Recording> list(Caller caller, Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE true");
        if (!caller.isAdmin()) {
            where.append(" AND host_id = :caller");
        }
        if (filter.status() == null) {
            where.append(" AND status <> 'deleted'");
        } else if (filter.status() == Recording.Status.DELETED && !caller.isAdmin()) {
            return new PageResponse<>(List.of(), page, size, 0);
        } else {
            where.append(" AND status = :status");
        }
        if (filter.meetingId() != null) {
            where.append(" AND meeting_id = :meeting");
        }
        if (filter.hostId() != null) {
            where.append(" AND host_id = :host");
        }
        if (filter.from() != null) {
            where.append(" AND started_at >= :from");
        }
        if (filter.to() != null) {
            where.append(" AND started_at < :to");
        }
        return jdbi.withHandle(handle -> {
            Query count = bind(handle.createQuery("SELECT count(*) FROM recordings" + where), caller, filter);
            long total = count.mapTo(Long.class).one();
            Query rows = bind(handle.createQuery("SELECT " + COLUMNS + " FROM recordings" + where
                    + " ORDER BY started_at DESC, id LIMIT :limit OFFSET :offset"), caller, filter)
                    .bind("limit", size)
                    .bind("offset", (long) (page - 1) * size);
            return new PageResponse<>(rows.map(MAPPER).list(), page, size, total);
        });
    }

    private static Query bind(Query query, Caller caller, Filter filter) {
        // An admin's unfiltered list names no parameter at all, which Jdbi refuses when any is bound (500).
        query.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        query.bind("caller", caller.userId());
        query.bind("status", filter.status() == null ? null : filter.status().wireName());
        query.bind("meeting", filter.meetingId());
        query.bind("host", filter.hostId());
        query.bind("from", filter.from());
        query.bind("to", filter.to());
        return query;
    }

    /** A recording the caller may see (its meeting's host, whoever started it, admins); 404 otherwise. */
    public Recording get(Caller caller, String recordingId) {
        Recording recording = jdbi.withHandle(handle -> MeetingRecordings.find(handle, recordingId))
                .filter(r -> r.status() != Recording.Status.DELETED)
                .orElseThrow(() -> notFound(recordingId));
        if (!caller.isAdmin() && !caller.userId().equals(recording.hostId())
                && !caller.userId().equals(recording.startedBy())) {
            throw notFound(recordingId);
        }
        return recording;
    }

    /** Who acknowledged the recording, in order. */
    public List<Consent> consents(String recordingId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT participant_id, user_id, guest, display_name, "
                        + "acknowledged_at FROM recording_consents WHERE recording_id = :id "
                        + "ORDER BY acknowledged_at, participant_id")
                .bind("id", recordingId)
                .map((rs, ctx) -> new Consent(rs.getString("participant_id"), rs.getString("user_id"),
                        rs.getBoolean("guest"), rs.getString("display_name"),
                        instant(rs.getTimestamp("acknowledged_at"))))
                .list());
    }

    /**
     * Deletes a recording from the catalogue (its meeting's host or an admin).
     *
     * @throws ApiException 404 when the caller may not see it, 403 when they may see but not delete it, 409
     *                      {@code legal_hold} under legal hold, 409 {@code recording_in_progress} while recording
     */
    public void delete(Caller caller, String recordingId) {
        Recording recording = get(caller, recordingId);
        if (!caller.isAdmin() && !caller.userId().equals(recording.hostId())) {
            throw new ApiException(403, "forbidden", "Only the meeting's host or an admin may delete a recording.",
                    Map.of("recording_id", recordingId));
        }
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            handle.createQuery("SELECT 1 FROM recordings WHERE id = :id FOR UPDATE").bind("id", recordingId)
                    .mapTo(Integer.class).one();
            Recording current = MeetingRecordings.find(handle, recordingId).orElseThrow(() -> notFound(recordingId));
            if (current.legalHold()) {
                throw new ApiException(409, "legal_hold", "Recording " + recordingId
                        + " is under legal hold and cannot be deleted.", Map.of("recording_id", recordingId));
            }
            if (current.status() == Recording.Status.RECORDING) {
                throw new ApiException(409, "recording_in_progress", "Stop the recording before deleting it.",
                        Map.of("recording_id", recordingId));
            }
            if (current.status() == Recording.Status.DELETED) {
                throw notFound(recordingId);
            }
            handle.createUpdate("UPDATE recordings SET status = 'deleted', deleted_by = :by, deleted_at = :now, "
                            + "updated_at = :now WHERE id = :id")
                    .bind("id", recordingId).bind("by", caller.userId()).bind("now", now).execute();
            auditLog.record(handle, caller.userId(), "recording.deleted", "recording", recordingId,
                    Map.of("meeting_id", current.meetingId()));
        });
    }

    /**
     * Puts a recording under legal hold or releases it (admins only; the resource checks the role).
     *
     * @throws ApiException 404 when there is no such recording
     */
    public Recording setLegalHold(Caller admin, String recordingId, boolean hold) {
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            int changed = handle.createUpdate("UPDATE recordings SET legal_hold = :hold, updated_at = :now "
                            + "WHERE id = :id AND status <> 'deleted'")
                    .bind("id", recordingId).bind("hold", hold).bind("now", now).execute();
            if (changed == 0) {
                throw notFound(recordingId);
            }
            auditLog.record(handle, admin.userId(), hold ? "recording.legal_hold_set"
                    : "recording.legal_hold_released", "recording", recordingId, Map.of());
            return MeetingRecordings.find(handle, recordingId).orElseThrow();
        });
    }

    /**
     * The archive stored the recording: status {@code ready} with its files, duration, size and checksum. The
     * same event again changes nothing new; a deleted recording stays deleted.
     *
     * @return false when no such recording is in the catalogue
     */
    public boolean applyReady(Handle handle, RecordingEvents.Ready ready) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (RecordingEvents.StoredFile file : ready.files()) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("kind", file.kind());
            entry.put("track_id", file.trackId());
            entry.put("object_key", file.objectKey());
            entry.put("content_type", file.contentType());
            entry.put("size_bytes", file.sizeBytes());
            entry.put("sha256", file.sha256());
            files.add(entry);
        }
        String filesJson;
        try {
            filesJson = FILES_JSON.writeValueAsString(files);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Instant now = clock.instant();
        int changed = handle.createUpdate("UPDATE recordings SET status = CASE WHEN status = 'deleted' THEN status "
                        + "ELSE 'ready' END, files = CAST(:files AS jsonb), duration_ms = :duration, "
                        + "size_bytes = :size, sha256 = :sha256, failure_reason = NULL, stopped_at = COALESCE(stopped_at, :now), "
                        + "updated_at = :now WHERE id = :id AND meeting_id = :meeting")
                .bind("id", ready.recordingId())
                .bind("meeting", ready.meetingId())
                .bind("files", filesJson)
                .bind("duration", ready.durationMillis())
                .bind("size", ready.sizeBytes())
                .bind("sha256", ready.sha256())
                .bind("now", now)
                .execute();
        return changed > 0;
    }

    /** The archive gave up on the recording: status {@code failed} with the reason (unless ready or deleted). */
    public boolean applyFailed(Handle handle, RecordingEvents.Failed failed) {
        Instant now = clock.instant();
        int changed = handle.createUpdate("UPDATE recordings SET status = CASE WHEN status IN ('deleted', 'ready') "
                        + "THEN status ELSE 'failed' END, failure_reason = :reason, "
                        + "stopped_at = COALESCE(stopped_at, :now), updated_at = :now "
                        + "WHERE id = :id AND meeting_id = :meeting")
                .bind("id", failed.recordingId())
                .bind("meeting", failed.meetingId())
                .bind("reason", failed.reason())
                .bind("now", now)
                .execute();
        return changed > 0;
    }

    private static ApiException notFound(String recordingId) {
        return new ApiException(404, "recording_not_found", "No recording " + recordingId + " is visible to you.",
                Map.of("recording_id", recordingId));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<Recording.StoredFile> files(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            List<Recording.StoredFile> files = new ArrayList<>();
            for (Map<String, Object> entry : FILES_JSON.readValue(json, FILE_LIST)) {
                Object size = entry.get("size_bytes");
                files.add(new Recording.StoredFile((String) entry.get("kind"), (String) entry.get("track_id"),
                        (String) entry.get("object_key"), (String) entry.get("content_type"),
                        size instanceof Number n ? n.longValue() : 0, (String) entry.get("sha256")));
            }
            return files;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<Recording> find(Handle handle, String id) {
        return MeetingRecordings.find(handle, id);
    }
}
