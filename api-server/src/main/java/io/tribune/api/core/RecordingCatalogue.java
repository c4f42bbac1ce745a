package io.tribune.api.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.api.PageResponse;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
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
 * <p>Deleting marks the row {@code deleted} (with who and when), hides it, and tells recording-archive through the
 * outbox ({@code recording.deleted}) to delete the stored objects. Thread-safe.
 */
public final class RecordingCatalogue {

    static final String COLUMNS = "id, meeting_id, host_id, started_by, started_at, stopped_by, stopped_at, status, "
            + "duration_ms, size_bytes, sha256, CAST(files AS text) AS files, failure_reason, retention_until, "
            + "legal_hold, updated_at, shared_with_participants, transcript_status, transcript_error";

    /**
     * Who may delete, hold and share a recording (and play it): admins, the meeting's host, whoever started the
     * recording, and the meeting's co-hosts. Binds {@code :caller} and {@code :admin}; the row is {@code r}.
     */
    static final String MANAGE_SQL = "(:admin OR r.host_id = :caller OR r.started_by = :caller OR EXISTS ("
            + "SELECT 1 FROM meeting_participants mp WHERE mp.meeting_id = r.meeting_id AND mp.user_id = :caller "
            + "AND mp.role = 'co_host'))";

    /**
     * Who may play a recording: those who manage it and, once it is shared, the meeting's participants: people
     * who acknowledged the recording while signed in (they were in the room) and the meeting's invitees, by
     * account or by the caller's email address. Guests without an account never see recordings. Also binds
     * {@code :email}.
     */
    static final String VIEW_SQL = "(" + MANAGE_SQL + " OR (r.shared_with_participants AND (EXISTS ("
            + "SELECT 1 FROM recording_consents rc WHERE rc.recording_id = r.id AND rc.user_id = :caller) OR EXISTS ("
            + "SELECT 1 FROM meeting_participants mi WHERE mi.meeting_id = r.meeting_id AND (mi.user_id = :caller "
            + "OR (CAST(:email AS text) IS NOT NULL AND lower(mi.email) = lower(:email)))))))";

    private static final ObjectMapper FILES_JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> FILE_LIST = new TypeReference<>() {
    };

    static final RowMapper<Recording> MAPPER = (rs, ctx) -> new Recording(rs.getString("id"),
            rs.getString("meeting_id"), rs.getString("host_id"), rs.getString("started_by"),
            instant(rs.getTimestamp("started_at")), rs.getString("stopped_by"), instant(rs.getTimestamp("stopped_at")),
            Recording.Status.fromWire(rs.getString("status")), (Long) rs.getObject("duration_ms"),
            (Long) rs.getObject("size_bytes"), rs.getString("sha256"), files(rs.getString("files")),
            rs.getString("failure_reason"), instant(rs.getTimestamp("retention_until")), rs.getBoolean("legal_hold"),
            instant(rs.getTimestamp("updated_at")), rs.getBoolean("shared_with_participants"));

    /**
     * A recording as one caller sees it: whether they may manage it (delete, hold, share, transcribe), and where its
     * on-demand transcript stands ({@code none}, {@code transcribing}, {@code ready}, {@code failed}; see
     * {@link RecordingTranscriptions}) with the worker's reason when it failed.
     */
    public record View(Recording recording, boolean canManage, String transcriptStatus, String transcriptError) {
        public View(Recording recording, boolean canManage) {
            this(recording, canManage, "none", null);
        }
    }

    private static final RowMapper<View> VIEW_MAPPER = (rs, ctx) -> new View(MAPPER.map(rs, ctx),
            rs.getBoolean("can_manage"), rs.getString("transcript_status"), rs.getString("transcript_error"));

    /** Filters of a list; null fields do not filter. */
    public record Filter(String meetingId, String hostId, Instant from, Instant to, Recording.Status status) {
    }

    /** One acknowledgement that a participant was told about the recording. */
    public record Consent(String participantId, String userId, boolean guest, String displayName,
                          Instant acknowledgedAt) {
    }

    private final Jdbi jdbi;
    private final AuditLog auditLog;
    private final OutboxWriter outbox;
    private final Clock clock;

    public RecordingCatalogue(Jdbi jdbi, AuditLog auditLog, OutboxWriter outbox, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.auditLog = Objects.requireNonNull(auditLog);
        this.outbox = Objects.requireNonNull(outbox);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * One page, newest first. Admins see every recording; others those they may play: the recordings of meetings
     * they host or co-host, and those shared with the participants of meetings they were in or invited to.
     * Deleted recordings are listed only when asked for by status, and only to admins.
     */
    public PageResponse<View> list(Caller caller, Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE true");
        if (!caller.isAdmin()) {
            where.append(" AND ").append(VIEW_SQL);
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
            Query count = bind(handle.createQuery("SELECT count(*) FROM recordings r" + where), caller, filter);
            long total = count.mapTo(Long.class).one();
            Query rows = bind(handle.createQuery("SELECT " + COLUMNS + ", " + MANAGE_SQL + " AS can_manage "
                    + "FROM recordings r" + where + " ORDER BY started_at DESC, id LIMIT :limit OFFSET :offset"),
                    caller, filter)
                    .bind("limit", size)
                    .bind("offset", (long) (page - 1) * size);
            return new PageResponse<>(rows.map(VIEW_MAPPER).list(), page, size, total);
        });
    }

    private static Query bind(Query query, Caller caller, Filter filter) {
        // An admin's unfiltered list names no parameter at all, which Jdbi refuses when any is bound (500).
        query.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        bindCaller(query, caller);
        query.bind("status", filter.status() == null ? null : filter.status().wireName());
        query.bind("meeting", filter.meetingId());
        query.bind("host", filter.hostId());
        query.bind("from", filter.from());
        query.bind("to", filter.to());
        return query;
    }

    static <Q extends org.jdbi.v3.core.statement.SqlStatement<Q>> Q bindCaller(Q statement, Caller caller) {
        return statement.bind("caller", caller.userId()).bind("admin", caller.isAdmin()).bind("email",
                caller.email());
    }

    /** A recording the caller may play (see {@link #VIEW_SQL}); 404 otherwise, and for deleted ones. */
    public View get(Caller caller, String recordingId) {
        return jdbi.withHandle(handle -> get(handle, caller, recordingId));
    }

    static View get(Handle handle, Caller caller, String recordingId) {
        return bindCaller(handle.createQuery("SELECT " + COLUMNS + ", " + MANAGE_SQL + " AS can_manage, "
                        + VIEW_SQL + " AS can_view FROM recordings r WHERE id = :id AND status <> 'deleted'"), caller)
                .bind("id", recordingId)
                .map((rs, ctx) -> rs.getBoolean("can_view") ? VIEW_MAPPER.map(rs, ctx) : null)
                .findOne()
                .orElseThrow(() -> notFound(recordingId));
    }

    /**
     * A recording the caller manages; 404 when they may not even see it, 403 when they may only play it.
     */
    public View managed(Caller caller, String recordingId, String what) {
        View view = get(caller, recordingId);
        if (!view.canManage()) {
            throw new ApiException(403, "forbidden", "Only the meeting's host, its co-hosts or an admin may " + what
                    + ".", Map.of("recording_id", recordingId));
        }
        return view;
    }

    /**
     * Shares a recording with the meeting's participants or stops sharing it (whoever manages it).
     *
     * @throws ApiException 404 when the caller may not see it, 403 when they may not manage it
     */
    public View setSharing(Caller caller, String recordingId, boolean shared) {
        managed(caller, recordingId, "share a recording");
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            int changed = handle.createUpdate("UPDATE recordings SET shared_with_participants = :shared, "
                            + "updated_at = :now WHERE id = :id AND status <> 'deleted'")
                    .bind("id", recordingId).bind("shared", shared).bind("now", now).execute();
            if (changed == 0) {
                throw notFound(recordingId);
            }
            auditLog.record(handle, caller.userId(), shared ? "recording.shared" : "recording.unshared",
                    "recording", recordingId, Map.of());
            return get(handle, caller, recordingId);
        });
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
     * Deletes a recording from the catalogue (whoever manages it) and, through the outbox in the same transaction,
     * tells recording-archive to delete its objects ({@code recording.deleted}).
     *
     * @throws ApiException 404 when the caller may not see it, 403 when they may see but not delete it, 409
     *                      {@code legal_hold} under legal hold, 409 {@code recording_in_progress} while recording
     */
    public void delete(Caller caller, String recordingId) {
        managed(caller, recordingId, "delete a recording");
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            Recording current = lock(handle, recordingId).orElseThrow(() -> notFound(recordingId));
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
            markDeleted(handle, current, caller.userId(), RecordingEvents.Deleted.REASON_DELETED, now);
        });
    }

    /** The row, locked for this transaction ({@code FOR UPDATE}). */
    static Optional<Recording> lock(Handle handle, String recordingId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM recordings WHERE id = :id FOR UPDATE")
                .bind("id", recordingId).map(MAPPER).findOne();
    }

    /**
     * Marks a (locked) recording deleted, appends {@code recording.deleted} naming its objects to the outbox and
     * writes the audit entry, all through {@code handle}. The caller checked legal hold.
     *
     * @param by the person who deleted it, or null for the system (retention)
     */
    void markDeleted(Handle handle, Recording recording, String by, String reason, Instant now) {
        handle.createUpdate("UPDATE recordings SET status = 'deleted', deleted_by = :by, deleted_at = :now, "
                        + "shared_with_participants = false, updated_at = :now WHERE id = :id")
                .bind("id", recording.id()).bind("by", by).bind("now", now).execute();
        List<String> keys = recording.files().stream().map(Recording.StoredFile::objectKey)
                .filter(Objects::nonNull).toList();
        outbox.append(handle, new RecordingEvents.Deleted(recording.meetingId(), recording.id(), keys,
                RecordingEvents.Deleted.prefixOf(recording.id()), reason, now));
        auditLog.record(handle, by, "recording.deleted", "recording", recording.id(),
                Map.of("meeting_id", recording.meetingId(), "reason", reason, "objects", keys.size()));
    }

    /**
     * Puts a recording under legal hold or releases it (admins only; the resource checks the role).
     *
     * @throws ApiException 404 when there is no such recording
     */
    public View setLegalHold(Caller admin, String recordingId, boolean hold) {
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
            return get(handle, admin, recordingId);
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
            if (file.startedAt() != null) {
                entry.put("started_at", file.startedAt().toString());
            }
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
        if (changed > 0 && MeetingRecordings.find(handle, ready.recordingId())
                .filter(r -> r.status() == Recording.Status.DELETED).isPresent()) {
            // Deleted while the archive was still writing: these files must go too.
            outbox.append(handle, new RecordingEvents.Deleted(ready.meetingId(), ready.recordingId(),
                    ready.files().stream().map(RecordingEvents.StoredFile::objectKey).toList(),
                    RecordingEvents.Deleted.prefixOf(ready.recordingId()), RecordingEvents.Deleted.REASON_DELETED,
                    now));
        }
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
                Object startedAt = entry.get("started_at");
                files.add(new Recording.StoredFile((String) entry.get("kind"), (String) entry.get("track_id"),
                        (String) entry.get("object_key"), (String) entry.get("content_type"),
                        size instanceof Number n ? n.longValue() : 0, (String) entry.get("sha256"),
                        startedAt instanceof String text ? Instant.parse(text) : null));
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
